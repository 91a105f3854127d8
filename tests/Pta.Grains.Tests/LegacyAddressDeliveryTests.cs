using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// Pre-2009 docomo/au addresses (mission.md, "Mobile carriers") go through the real composer and SMTP
/// transport to a real SMTP server (Postfix smtp-sink), and the envelope carries them bare, as carriers expect.
/// </summary>
public sealed class LegacyAddressDeliveryTests
{
    private static readonly BroadcastContent Content = new(
        "bc-legacy00000000000000000", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)));

    public static TheoryData<string> LegacyAddresses => ["taro..yamada.@docomo.ne.jp", ".hanako@ezweb.ne.jp", "jiro.@docomo.ne.jp"];

    [Fact]
    public async Task Legacy_addresses_are_sent_bare_in_rcpt_to_and_quoted_in_the_to_header()
    {
        string[] legacy = ["taro..yamada.@docomo.ne.jp", ".hanako@ezweb.ne.jp", "jiro.@docomo.ne.jp"];
        const string ordinary = "taro.yamada@docomo.ne.jp";
        await using var sink = await SmtpSink.StartAsync();
        var transport = new SmtpMailTransport(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Connections = 1 }),
            NullLogger<SmtpMailTransport>.Instance);
        await using (transport)
        {
            var composer = new MessageComposer(Content);
            foreach (var (address, i) in legacy.Append(ordinary).Select((a, i) => (a, i)))
            {
                var recipient = new Recipient($"g{i}-1", address);
                var result = await transport.SendAsync(composer.Compose(recipient), composer.Sender, MessageComposer.ToMailbox(recipient), SendLane.Routine, CancellationToken.None);
                Assert.True(result.Status == DeliveryStatus.Sent, $"sending to {address}: {result.Status} {result.Reply}");
            }
        }

        var messages = await sink.WaitForAsync(legacy.Length + 1, TimeSpan.FromSeconds(30));

        foreach (var address in legacy)
        {
            var at = address.IndexOf('@', StringComparison.Ordinal);
            var quoted = $"\"{address[..at]}\"{address[at..]}";
            var message = Assert.Single(messages, m => m.RcptTo.Contains($"<{address}>"));

            // Envelope: RCPT TO:<taro..yamada.@docomo.ne.jp>, exactly as typed, no quotes.
            Assert.Equal($"<{address}>", Assert.Single(message.RcptTo));
            Assert.Equal("<daiichi-es@mail.demo-city.example>", message.MailFrom);

            // Header: the quoted form, the RFC 5322 spelling of the same mailbox, which parses back.
            Assert.Contains($"\nTo: {quoted}\n", message.Raw.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Equal(quoted, Assert.Single(message.Message.To.Mailboxes).Address);
        }

        var plain = Assert.Single(messages, m => m.RcptTo.Contains($"<{ordinary}>"));
        Assert.Contains($"\nTo: {ordinary}\n", plain.Raw.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LegacyAddresses))]
    public void MimeKit_alone_rejects_the_bare_legacy_form(string address)
    {
        // Why MessageComposer.ToMailbox bypasses MimeKit's parser for these (and only these) addresses: if this
        // test starts failing after a MimeKit update, the parser accepts them and the bypass can go.
        Assert.Throws<ParseException>(() => new MailboxAddress(string.Empty, address));
    }

    [Theory]
    [MemberData(nameof(LegacyAddresses))]
    public void The_envelope_mailbox_of_a_legacy_address_is_bare_and_the_header_mailbox_quoted(string address)
    {
        var recipient = new Recipient("g1-1", address);

        var envelope = MessageComposer.ToMailbox(recipient);
        var header = Assert.Single(new MessageComposer(Content).Compose(recipient).To.Mailboxes);

        Assert.Equal(address, envelope.Address);
        Assert.Equal(address, envelope.GetAddress(idnEncode: true));
        Assert.StartsWith("\"", header.Address, StringComparison.Ordinal);
        Assert.Equal(address, header.Address.Replace("\"", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("taro@docomo.ne.jp>\r\nRCPT TO:<all@example.jp")]
    [InlineData("taro@docomo.ne.jp\r\nBcc: all@example.jp")]
    [InlineData("taro..yamada. @docomo.ne.jp")]
    [InlineData("\"taro\"@docomo.ne.jp")]
    public void An_address_the_rules_reject_is_never_turned_into_a_mailbox(string address)
    {
        var recipient = new Recipient("g1-1", address);

        Assert.Throws<FormatException>(() => MessageComposer.ToMailbox(recipient));
        Assert.Throws<FormatException>(() => new MessageComposer(Content).Compose(recipient));
    }
}
