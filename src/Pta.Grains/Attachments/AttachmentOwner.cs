namespace Pta.Grains.Attachments;

/// <summary>The owner names of attachments: the kind keeps a board and a school with the same id apart.</summary>
public static class AttachmentOwner
{
    public static string Board(string boardId) => $"board:{boardId}";

    public static string School(string schoolId) => $"school:{schoolId}";
}
