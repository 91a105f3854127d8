namespace Pta.Grains.Templates;

/// <summary>
/// Grain keys of template sets. A board's and a school's ids may be equal, so the key names the kind; the ':' keeps
/// keys apart from ids (never in an id) and from Orleans' hexadecimal key parsing ('o' and 'h' are not hex digits).
/// </summary>
public static class TemplateScope
{
    public static string Board(string boardId) => $"board:{boardId}";

    public static string School(string schoolId) => $"school:{schoolId}";
}
