using System.Text;

namespace Pta.Grains.Templates;

/// <summary>
/// The placeholder syntax of templates: <c>{名前}</c> is replaced by the value named 名前; <c>{{</c> and <c>}}</c> are a
/// literal brace. A name is 1–<see cref="MaxNameLength"/> characters without braces, spaces or control characters, in
/// any script (<c>{学校名}</c>, <c>{date}</c>). Values are inserted as they are: nothing in a value is read as a
/// placeholder again, so a guardian-facing text cannot be changed by what a value contains.
/// </summary>
public static class TemplateText
{
    public const int MaxNameLength = 30;

    /// <summary>Why <paramref name="text"/> is not a valid template (with the position), or null when it is.</summary>
    public static string? Problem(string text) => Scan(text, output: null, valueOf: null, names: null);

    /// <summary>The placeholder names of a valid template, each once, in order of first use.</summary>
    public static IReadOnlyList<string> Placeholders(string text)
    {
        var names = new List<string>();
        _ = Scan(text, output: null, valueOf: null, names);
        return names;
    }

    /// <summary>
    /// The text with every placeholder replaced by its value. Names without a value are added to
    /// <paramref name="missing"/> and left in place, so one call reports all of them.
    /// </summary>
    public static string Render(string text, Func<string, string?> valueOf, ISet<string> missing)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        ArgumentNullException.ThrowIfNull(missing);
        var output = new StringBuilder(text.Length);
        var problem = Scan(text, output, name =>
        {
            var value = valueOf(name);
            if (value is null)
            {
                missing.Add(name);
            }

            return value ?? $"{{{name}}}";
        }, names: null);
        return problem is null ? output.ToString() : throw new FormatException(problem);
    }

    /// <summary>Whether <paramref name="name"/> could be a placeholder's name (for checking the names of given values).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(IsNameCharacter);

    private static bool IsNameCharacter(char c) =>
        c is not ('{' or '}') && !char.IsWhiteSpace(c) && !char.IsControl(c);

    private static string? Scan(string text, StringBuilder? output, Func<string, string>? valueOf, List<string>? names)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                output?.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                return $"A lone '}}' at position {i}: write }}}} for a literal brace.";
            }

            if (c != '{')
            {
                output?.Append(c);
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            var name = close < 0 ? null : text[(i + 1)..close];
            if (!IsValidName(name))
            {
                return $"The '{{' at position {i} does not start a placeholder {{名前}} (1–{MaxNameLength} characters, no braces or spaces): " +
                       "write {{ for a literal brace.";
            }

            if (names is not null && !names.Contains(name!))
            {
                names.Add(name!);
            }

            output?.Append(valueOf is null ? text[i..(close + 1)] : valueOf(name!));
            i = close;
        }

        return null;
    }
}
