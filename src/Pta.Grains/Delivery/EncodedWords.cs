using System.Text;

namespace Pta.Grains.Delivery;

/// <summary>
/// Header text that itself contains the start of RFC 2047 syntax ("=?") is written as typed by MimeKit (it encodes
/// only words that need it), and a reader then decodes the look-alike together with the next encoded word: the
/// guardian saw something other than what staff typed. Such text is written here as nothing but UTF-8 base64 encoded
/// words instead, which every reader decodes back to exactly the typed characters, whitespace included.
/// </summary>
public static class EncodedWords
{
    /// <summary>Bytes per encoded word: 56 base64 characters, so "Subject: =?utf-8?b?…?=" stays within 78 columns.</summary>
    private const int BytesPerWord = 42;

    /// <summary>Whether MimeKit's own encoding of <paramref name="text"/> would not read back as typed.</summary>
    public static bool Needed(string text) => text.Contains("=?", StringComparison.Ordinal);

    /// <summary>
    /// A header's raw value (after the colon): <paramref name="text"/> as encoded words, one per folded line, each
    /// holding whole characters only (a surrogate pair is never split), then <paramref name="suffix"/> (a From
    /// header's &lt;address&gt;) on a line of its own, ending in a line break.
    /// </summary>
    public static byte[] RawValue(string text, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var raw = new StringBuilder();
        var word = new List<byte>(BytesPerWord);
        Span<byte> scratch = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(scratch);
            if (word.Count + length > BytesPerWord)
            {
                AppendWord(raw, word);
            }

            word.AddRange(scratch[..length]);
        }

        AppendWord(raw, word);
        if (suffix is not null)
        {
            raw.Append(raw.Length == 0 ? " " : "\n ").Append(suffix); // a line of its own: an address can be as long as a word
        }

        raw.Append('\n'); // MimeKit's new-line filter writes CRLF on the wire
        return Encoding.ASCII.GetBytes(raw.ToString());
    }

    private static void AppendWord(StringBuilder raw, List<byte> word)
    {
        if (word.Count == 0)
        {
            return;
        }

        raw.Append(raw.Length == 0 ? " " : "\n ").Append("=?utf-8?b?").Append(Convert.ToBase64String([.. word])).Append("?=");
        word.Clear();
    }
}
