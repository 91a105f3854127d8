using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// The real composer and SMTP transport against the carrier emulator: the carrier's replies (mission.md,
/// "Mobile carriers") become the statuses the shaping and suppression logic acts on.
/// </summary>
public sealed class CarrierEmulatorTests
{
    private static readonly BroadcastContent Content = new(
        "bc-emulator000000000000000", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)));

    [Fact]
    public async Task Carrier_replies_become_sent_deferred_and_invalid_address()
    {
        // docomo gets one message and then has no token for five seconds: the next one meets 421 at RCPT.
        const string Config = """{"carriers": {"docomo": {"rate_per_second": 0.2, "burst": 1, "throttle": "421"}}}""";
        await using var emulator = await CarrierEmulator.StartAsync(Config);
        var transport = new SmtpMailTransport(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = emulator.Port, Connections = 2 }),
            NullLogger<SmtpMailTransport>.Instance);
        var composer = new MessageComposer(Content);
        var accepted = new Recipient("g1-1", "taro@docomo.ne.jp");
        var throttled = new Recipient("g2-1", "hanako@docomo.ne.jp");
        var unknown = new Recipient("g3-1", "unknown-jiro@softbank.ne.jp");
        SendResult sent, deferred, invalid;
        await using (transport)
        {
            sent = await SendAsync(transport, composer, accepted);
            deferred = await SendAsync(transport, composer, throttled);
            invalid = await SendAsync(transport, composer, unknown);
        }

        Assert.True(sent.Status == DeliveryStatus.Sent, $"{sent.Status} {sent.Reply}");
        Assert.True(deferred.Status == DeliveryStatus.Deferred, $"{deferred.Status} {deferred.Reply}");
        Assert.Contains("421", deferred.Reply, StringComparison.Ordinal);
        Assert.True(invalid.Status == DeliveryStatus.InvalidAddress, $"{invalid.Status} {invalid.Reply}");
        Assert.Contains("5.1.1", invalid.Reply, StringComparison.Ordinal);

        var entries = emulator.LedgerEntries();
        var entry = Assert.Single(entries, e => e.MessageId == $"<{composer.MessageIdFor(accepted)}>");
        Assert.Equal("docomo", entry.Carrier);
        Assert.Equal(["taro@docomo.ne.jp"], entry.Recipients);
        Assert.Equal("daiichi-es@mail.demo-city.example", entry.MailFrom);
        Assert.Single(entries); // neither the throttled nor the unknown recipient was accepted
    }

    private static ValueTask<SendResult> SendAsync(SmtpMailTransport transport, MessageComposer composer, Recipient recipient) =>
        transport.SendAsync(composer.Compose(recipient), composer.Sender, MessageComposer.ToMailbox(recipient), SendLane.Routine, CancellationToken.None);
}
