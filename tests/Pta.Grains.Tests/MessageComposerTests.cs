using System.Text;
using MimeKit;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Tests;

public sealed class MessageComposerTests
{
    private static readonly BroadcastContent Content = new(
        "bc-0123456789abcdef01234567", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。\n自宅で待機してください。\r\n第一小学校",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)));

    [Fact]
    public void A_message_names_one_recipient_and_the_school_as_sender()
    {
        var composer = new MessageComposer(Content);
        var message = Reparse(composer.Compose(new Recipient("g1-1", "taro@docomo.ne.jp")));

        var to = Assert.Single(message.To.Mailboxes);
        Assert.Equal("taro@docomo.ne.jp", to.Address);
        Assert.Empty(message.Cc);
        Assert.Empty(message.Bcc);
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal("daiichi-es@mail.demo-city.example", from.Address);
        Assert.Equal("第一小学校", from.Name);
    }

    [Fact]
    public void Japanese_subject_and_body_are_encoded_as_utf8_and_decode_back()
    {
        var composer = new MessageComposer(Content);
        var raw = Write(composer.Compose(new Recipient("g1-1", "taro@docomo.ne.jp")));
        var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

        Assert.True(raw.All(c => c < 128), "the wire form is 7-bit ASCII");
        Assert.Contains("Subject: =?utf-8?b?", raw, StringComparison.Ordinal);
        Assert.Single(message.Headers, h => h.Id == HeaderId.Subject);
        Assert.Equal(Content.Subject, message.Subject);
        Assert.Equal("本日は台風のため臨時休校とします。\n自宅で待機してください。\n第一小学校", message.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));
        using var decoded = new MemoryStream();
        Assert.IsType<TextPart>(message.Body).Content!.DecodeTo(decoded);
        Assert.Contains("。\r\n自宅", Encoding.UTF8.GetString(decoded.ToArray()), StringComparison.Ordinal); // CRLF on the wire, as RFC 5322 wants
        Assert.Equal("utf-8", Assert.IsType<TextPart>(message.Body).ContentType.Charset);
    }

    [Theory]
    [InlineData("=?utf-8?b?: 台風のため臨時休校", "第一小学校")]
    [InlineData("  件名に =?iso-2022-jp?q?abc?= と書いた  ", "=?utf-8?q?第一?= 小学校")]
    [InlineData("=?", "=?")]
    public void Text_that_looks_like_an_encoded_word_reads_back_exactly_as_typed(string subject, string senderName)
    {
        var content = Content with { Subject = subject, SenderName = senderName };
        var raw = Write(new MessageComposer(content).Compose(new Recipient("g1-1", "taro@docomo.ne.jp")));
        var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));

        Assert.True(raw.All(c => c < 128), "the wire form is 7-bit ASCII");
        Assert.All(raw.ReplaceLineEndings("\n").Split('\n'), line => Assert.True(line.Length <= 78, line));
        Assert.Equal(subject.Trim(), message.Subject); // MimeKit, as a reader, trims the ends; spaces inside stay
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(senderName, from.Name);
        Assert.Equal("daiichi-es@mail.demo-city.example", from.Address);
        Assert.Single(message.Headers, h => h.Id == HeaderId.Subject);
        Assert.Single(message.Headers, h => h.Id == HeaderId.From);
    }

    [Fact]
    public void The_message_id_is_stable_per_recipient_and_distinct_between_recipients()
    {
        var a = new Recipient("g1-1", "taro@docomo.ne.jp");
        var b = new Recipient("g2-1", "hanako@ezweb.ne.jp");

        var first = new MessageComposer(Content).Compose(a).MessageId;
        var again = new MessageComposer(Content).Compose(a).MessageId;
        var other = new MessageComposer(Content).Compose(b).MessageId;

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal("bc-0123456789abcdef01234567.g1-1@mail.demo-city.example", first);
    }

    [Fact]
    public void Messages_composed_in_parallel_share_the_encoded_body_without_corrupting_it()
    {
        var composer = new MessageComposer(Content);
        var bodies = Enumerable.Range(0, 200).AsParallel()
            .Select(i => Reparse(composer.Compose(new Recipient($"g{i}-1", $"p{i}@docomo.ne.jp"))).TextBody)
            .Distinct()
            .ToList();

        Assert.Single(bodies);
    }

    private static string Write(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    private static MimeMessage Reparse(MimeMessage message) =>
        MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(Write(message))));
}
