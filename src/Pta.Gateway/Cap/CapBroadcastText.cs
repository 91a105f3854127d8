using System.Globalization;
using System.Text;
using Pta.Gateway.Apis;

namespace Pta.Gateway.Cap;

/// <summary>
/// The mail a CAP <c>info</c> block becomes: the headline (or event) as subject; headline, description, instruction,
/// the areas and who issued it when as body. Characters the broadcast rules refuse (controls, bidi overrides, line
/// separators) become spaces, and over-long text is cut, so a valid alert always yields a valid broadcast.
/// </summary>
public static class CapBroadcastText
{
    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    public static (string Subject, string Body) Of(CapAlert alert, CapInfo info)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(info);
        var subject = Clean(info.Headline is { Length: > 0 } h ? h : info.Event, lineBreaks: false);
        var body = new StringBuilder();
        foreach (var part in new[] { info.Headline, info.Description, info.Instruction })
        {
            if (!string.IsNullOrWhiteSpace(part))
            {
                body.Append(part.Trim()).Append("\n\n");
            }
        }

        if (info.Areas.Count > 0)
        {
            body.Append("対象地域: ").AppendJoin("、", info.Areas.Select(a => a.Description.Trim())).Append('\n');
        }

        var sent = alert.Sent.ToOffset(JapanOffset).ToString("yyyy年M月d日 H時mm分", CultureInfo.InvariantCulture);
        body.Append("発表: ").Append(info.SenderName ?? alert.Sender).Append("（").Append(sent).Append("）");
        return (Cut(subject, BroadcastRequestValidator.MaxSubjectLength), Cut(Clean(body.ToString(), lineBreaks: true), BroadcastRequestValidator.MaxBodyLength));
    }

    private static string Clean(string text, bool lineBreaks)
    {
        var chars = text.Replace("\r\n", "\n", StringComparison.Ordinal).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var keep = lineBreaks && c is '\n' or '\t';
            if (!keep && (char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
                          || (char.IsSurrogate(c) && !IsPaired(chars, i))))
            {
                chars[i] = ' ';
            }
        }

        var cleaned = new string(chars).Trim();
        return cleaned.Length == 0 ? "(CAP)" : cleaned;
    }

    private static bool IsPaired(char[] chars, int i) =>
        char.IsHighSurrogate(chars[i]) ? i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]) : i > 0 && char.IsHighSurrogate(chars[i - 1]);

    /// <summary>Cuts at a character boundary, never between the halves of a surrogate pair.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return text[..length] + "…";
    }
}
