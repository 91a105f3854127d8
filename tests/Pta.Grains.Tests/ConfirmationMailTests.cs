using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;

namespace Pta.Grains.Tests;

/// <summary>The personal confirmation link in composed mail, and the shared-prefix encoding that keeps it cheap.</summary>
public sealed partial class ConfirmationMailTests
{
    private static readonly BroadcastContent Content = new(
        "bc-0123456789abcdef01234567", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。\n自宅で待機してください。\r\n第一小学校",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)), RequestsConfirmation: true);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Each_mail_ends_with_the_instruction_and_a_link_that_confirms_for_its_own_recipient()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);
        var composer = new MessageComposer(Content, confirmationLinks: links);

        var taro = Reparse(composer.Compose(new Recipient("gi-00112233445566778899-1", "taro@docomo.ne.jp")));
        var hanako = Reparse(composer.Compose(new Recipient("gi-00112233445566778899-2", "hanako@ezweb.ne.jp")));

        var lines = taro.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(["本日は台風のため臨時休校とします。", "自宅で待機してください。", "第一小学校", "", ConfirmationBody.Instruction], lines[..^1]);
        Assert.Equal(new ConfirmationClaim(ConfirmationLinkStatus.Valid, Content.BroadcastId, "gi-00112233445566778899-1"), links.Check(TokenIn(taro)));
        Assert.Equal(new ConfirmationClaim(ConfirmationLinkStatus.Valid, Content.BroadcastId, "gi-00112233445566778899-2"), links.Check(TokenIn(hanako)));
    }

    [Fact]
    public void A_follow_up_links_to_the_broadcast_it_follows_and_links_expire_a_lifetime_after_the_send()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock, TimeSpan.FromDays(7));
        var followUp = Content with { BroadcastId = "bc-ffffffffffffffffffffffff", ConfirmsBroadcastId = Content.BroadcastId };
        var sentAt = Content.AcceptedAt.AddDays(3); // e.g. a scheduled send, three days after its acceptance
        _clock.SetUtcNow(sentAt);

        var token = TokenIn(Reparse(new MessageComposer(followUp, confirmationLinks: links).Compose(new Recipient("g7-1", "taro@docomo.ne.jp"))));

        Assert.Equal(Content.BroadcastId, links.Check(token).BroadcastId);
        _clock.SetUtcNow(sentAt.AddDays(7));
        Assert.Equal(ConfirmationLinkStatus.Valid, links.Check(token).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ConfirmationLinkStatus.Expired, links.Check(token).Status);
    }

    [Fact]
    public void Every_mail_a_composer_writes_for_a_recipient_carries_the_same_link_so_a_retry_does_too()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);
        var composer = new MessageComposer(Content, confirmationLinks: links);
        var taro = new Recipient("g1-1", "taro@docomo.ne.jp");

        var first = TokenIn(Reparse(composer.Compose(taro)));
        _clock.Advance(TimeSpan.FromMinutes(5)); // the retry of a deferred recipient
        var retry = TokenIn(Reparse(composer.Compose(taro)));

        Assert.Equal(first, retry);
    }

    [Fact]
    public void Without_confirmation_there_is_no_link_and_with_it_a_composer_needs_the_signer()
    {
        var plain = Reparse(new MessageComposer(Content with { RequestsConfirmation = false }).Compose(new Recipient("g1-1", "taro@docomo.ne.jp")));

        Assert.DoesNotContain("/c/", plain.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfirmationBody.Instruction, plain.TextBody, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MessageComposer(Content));
    }

    /// <summary>
    /// The shared lines plus the per-message lines must be exactly what encoding the whole body at once gives, for every
    /// length around the 57-byte line boundary, or some mail would carry a broken body.
    /// </summary>
    [Fact]
    public void The_shared_and_personal_parts_encode_exactly_as_the_whole_body_at_once()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);
        const string key = "gd-0123456789abcdef0123456789abcdef-1";
        for (var length = 0; length <= 3 * ConfirmationBody.BytesPerLine; length++)
        {
            var body = new string('a', length);
            var encoded = new MemoryStream();
            new ConfirmationBody(body, links, Content.BroadcastId, Content.AcceptedAt.AddDays(30)).EncodedFor(key).CopyTo(encoded);

            var whole = Encoding.UTF8.GetBytes($"{body}\r\n\r\n{ConfirmationBody.Instruction}\r\n{links.Url(Content.BroadcastId, key, Content.AcceptedAt.AddDays(30))}\r\n");
            var expected = ConfirmationBody.Encode(whole, 0, whole.Length).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(encoded.ToArray()), $"body of {length} bytes");
        }
    }

    private static string TokenIn(MimeMessage message)
    {
        var match = LinkPattern().Match(message.TextBody ?? "");
        Assert.True(match.Success, "the mail carries a confirmation link");
        return match.Groups[1].Value;
    }

    private static MimeMessage Reparse(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return MimeMessage.Load(new MemoryStream(buffer.ToArray()));
    }

    [GeneratedRegex(@"https://pta\.city\.example\.jp/c/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
