using System.Text;

namespace Pta.Gateway.Apis;

/// <summary>
/// Rules for free text that may reach a mail header or a page: no control characters (header injection),
/// no line or paragraph separators, no bidi overrides (spoofed text), no unpaired surrogates. Where line
/// breaks are allowed (bodies), CR, LF and TAB pass.
/// </summary>
public static class TextRules
{
    /// <summary>Adds an error for <paramref name="field"/> when the text is missing, too long, or carries a forbidden character.</summary>
    public static void Check(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool allowLineBreaks)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Required."];
        }
        else if (value.Length > maxLength)
        {
            errors[field] = [$"At most {maxLength} characters."];
        }
        else if (FirstForbidden(value, allowLineBreaks) is var at and >= 0)
        {
            errors[field] = [$"Contains a forbidden character U+{(int)value[at]:X4} at position {at}."];
        }
        else if (!IsWellFormedUtf16(value))
        {
            errors[field] = ["Contains an invalid (unpaired surrogate) character."];
        }
    }

    /// <summary>The index of the first control, line-separator or bidi-override character, or -1.</summary>
    private static int FirstForbidden(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var allowed = allowLineBreaks && c is '\r' or '\n' or '\t';
            var forbidden = char.IsControl(c)
                || c is '\u2028' or '\u2029'
                || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
            if (forbidden && !allowed)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsWellFormedUtf16(string value)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
