using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MimeKit;
using Pta.Gateway.Apis;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6 (6), property tests: whatever text the API accepts for a subject, a body or a school's name, the mail
/// the engine writes is 7-bit, has no overlong line, has exactly the headers it should (no injected one), and
/// decodes back to what was sent (in a header, up to whitespace); what the API refuses is refused with the field named. Inputs mix Japanese,
/// emoji, combining marks, encoded-word look-alikes, header syntax, controls, separators and lone surrogates.
/// </summary>
public sealed class HeaderEncodingPropertyTests
{
    [Property(MaxTest = 500)]
    public Property An_accepted_subject_is_encoded_safely_and_decodes_back_exactly() =>
        Prop.ForAll(Texts(allowLineBreaks: false).ToArbitrary(), subject =>
        {
            var errors = new Dictionary<string, string[]>();
            TextRules.Check(errors, "subject", subject, BroadcastRequestValidator.MaxSubjectLength, allowLineBreaks: false);
            if (errors.Count > 0)
            {
                return errors.ContainsKey("subject").Label("refused, with the field named");
            }

            var (raw, message) = Compose(subject, "本文", "第一小学校");
            return (IsSafeWire(raw) && HasExactlyTheExpectedHeaders(raw) && ReadsAsTyped(message.Subject, subject))
                .Label($"subject {Escape(subject)} -> {Escape(message.Subject)}");
        });

    [Property(MaxTest = 300)]
    public Property An_accepted_body_is_encoded_safely_and_decodes_back_exactly() =>
        Prop.ForAll(Texts(allowLineBreaks: true).ToArbitrary(), body =>
        {
            var errors = new Dictionary<string, string[]>();
            TextRules.Check(errors, "body", body, 20_000, allowLineBreaks: true);
            if (errors.Count > 0)
            {
                return errors.ContainsKey("body").Label("refused, with the field named");
            }

            var (raw, message) = Compose("件名", body, "第一小学校");
            var decoded = (message.TextBody ?? "").ReplaceLineEndings("\n");
            return (IsSafeWire(raw) && HasExactlyTheExpectedHeaders(raw) && decoded == body.ReplaceLineEndings("\n"))
                .Label($"body {Escape(body)} -> {Escape(decoded)}");
        });

    [Property(MaxTest = 300)]
    public Property An_accepted_sender_name_is_encoded_safely_and_decodes_back_exactly() =>
        Prop.ForAll(Texts(allowLineBreaks: false).ToArbitrary(), name =>
        {
            var errors = new Dictionary<string, string[]>();
            TextRules.Check(errors, "name", name, 100, allowLineBreaks: false);
            if (errors.Count > 0)
            {
                return true.Label("refused");
            }

            var (raw, message) = Compose("件名", "本文", name);
            var from = message.From.Mailboxes.Single();
            return (IsSafeWire(raw) && HasExactlyTheExpectedHeaders(raw) && ReadsAsTyped(from.Name, name) && from.Address == "school@mail.test-city.example")
                .Label($"name {Escape(name)} -> {Escape(from.Name)}");
        });

    /// <summary>
    /// A header's text compared as a reader sees it: every character other than whitespace arrives, in order. RFC 2047
    /// encoding and folding (MimeKit) drop whitespace at the ends (U+3000 included), fold runs of spaces, and may put a
    /// space between an encoded word and an adjacent atom or look-alike "=?…" text (all found by these properties).
    /// </summary>
    private static bool SameVisibleText(string? decoded, string sent) => WithoutSpaces(decoded ?? "") == WithoutSpaces(sent);

    /// <summary>
    /// Text that itself contains the start of RFC 2047 syntax ("=?utf-8?b?") used to be written as typed, and a reader
    /// decoded it together with the next encoded word MimeKit wrote ("=?utf-8?b?: 台風…" reached readers altered):
    /// the composer now writes such text as encoded words only (<see cref="EncodedWords"/>), and it reads back exactly,
    /// whitespace inside included (a reader may trim the ends, as MimeKit does).
    /// </summary>
    private static bool ReadsAsTyped(string? decoded, string sent) =>
        EncodedWords.Needed(sent) ? decoded?.Trim() == sent.Trim() : SameVisibleText(decoded, sent);

    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static (string Raw, MimeMessage Parsed) Compose(string subject, string body, string senderName)
    {
        var content = new BroadcastContent(
            "bc-0123456789abcdef01234567", "school@mail.test-city.example", senderName, subject, body,
            BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(9)));
        var composed = new MessageComposer(content).Compose(new Recipient("g1-1", "taro@docomo.ne.jp"));
        using var stream = new MemoryStream();
        var wire = FormatOptions.Default.Clone();
        wire.NewLineFormat = NewLineFormat.Dos; // as SMTP carries it
        composed.WriteTo(wire, stream);
        var bytes = stream.ToArray();
        var raw = Encoding.Latin1.GetString(bytes);
        return (raw, MimeMessage.Load(new MemoryStream(bytes)));
    }

    /// <summary>Every byte 7-bit, every line ends in CRLF (no bare CR or LF) and fits in 998 characters (RFC 5322).</summary>
    private static bool IsSafeWire(string raw) =>
        raw.All(c => c < 128)
        && raw.Replace("\r\n", "\n", StringComparison.Ordinal).IndexOf('\r', StringComparison.Ordinal) < 0
        && raw.Split("\r\n").All(line => line.Length <= 998 && !line.Contains('\n', StringComparison.Ordinal));

    /// <summary>Header lines are "Name: value" or folded continuations, and each of the addressing headers appears once.</summary>
    private static bool HasExactlyTheExpectedHeaders(string raw)
    {
        var head = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var names = head.Where(l => l.Length > 0 && l[0] is not (' ' or '\t')).Select(l => l[..Math.Max(0, l.IndexOf(':', StringComparison.Ordinal))]).ToList();
        return names.All(n => n.Length > 0 && n.All(c => c is > ' ' and < '\u007f' and not ':'))
            && new[] { "From", "To", "Subject", "Message-Id", "Date" }.All(h => names.Count(n => n.Equals(h, StringComparison.OrdinalIgnoreCase)) == 1)
            && !names.Any(n => n.Equals("Bcc", StringComparison.OrdinalIgnoreCase) || n.Equals("Cc", StringComparison.OrdinalIgnoreCase));
    }

    private static Gen<string> Texts(bool allowLineBreaks)
    {
        var pieces = Gen.OneOf(
            Gen.Elements("台風", "臨時休校", "【緊急】", "ｶﾀｶﾅ", "🚨", "👨‍👩‍👧", "é", "e\u0301", "ﾞ", "〜", "①", "髙", "𠮷", "＜＞", "　"),
            Gen.Elements("=?utf-8?b?", "?=", "=?iso-2022-jp?q?", ": ", "Bcc: x@y", "<a@b>", "\"", "\\", ";", ",", "(", ")", " ", "  ", "\t"),
            Gen.Elements("\r\n", "\n", "\r", "\r\n.\r\n", "\0", "\u0085", "\u2028", "\u202E", "\u200B", "\uFEFF", "\uD800", "\uDC00"),
            Gen.Elements('a', 'Z', '0', '.', '-', '_', '=', '?').Select(c => new string(c, 1)),
            Gen.Choose(1, 120).Select(n => new string('あ', n)),
            Gen.Choose(1, 120).Select(n => new string('x', n)));
        return Gen.Choose(1, allowLineBreaks ? 60 : 12).SelectMany(count => pieces.ArrayOf(count)).Select(parts => string.Concat(parts));
    }

    private static string Escape(string? text) =>
        text is null ? "null" : string.Concat(text.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
