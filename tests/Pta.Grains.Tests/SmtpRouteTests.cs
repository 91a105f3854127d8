using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Grains.Shaping;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// Egress paths: a carrier with a direct route (direct-to-MX mode) is sent to its own host over its own connections,
/// closed after the carrier's recipients per session; every other carrier goes through the relay.
/// </summary>
public sealed class SmtpRouteTests
{
    private static readonly BroadcastContent Content = new(
        "bc-routes00000000000000000", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)));

    [Fact]
    public async Task A_routed_carrier_goes_to_its_own_host_and_reconnects_after_its_recipients_per_session()
    {
        await using var relay = await SmtpSink.StartAsync();
        await using var docomoMx = await SmtpSink.StartAsync();
        var smtp = new SmtpOptions
        {
            Host = "127.0.0.1", Port = relay.Port, Connections = 1,
            Routes = { ["Docomo"] = new SmtpRoute { Host = "127.0.0.1", Port = docomoMx.Port, Connections = 1 } },
        };
        var shaping = new ShapingOptions { Carriers = { ["Docomo"] = new CarrierLimit { RecipientsPerSession = 3 } } };
        var transport = new SmtpMailTransport(Options.Create(smtp), NullLogger<SmtpMailTransport>.Instance, Options.Create(shaping));
        var composer = new MessageComposer(Content);
        await using (transport)
        {
            foreach (var recipient in Enumerable.Range(0, 7).Select(i => new Recipient($"d{i}-1", $"d{i}@docomo.ne.jp"))
                         .Concat(Enumerable.Range(0, 5).Select(i => new Recipient($"g{i}-1", $"g{i}@gmail.com"))))
            {
                var result = await transport.SendAsync(composer.Compose(recipient), composer.Sender, MessageComposer.ToMailbox(recipient), SendLane.Urgent, CancellationToken.None);
                Assert.Equal(DeliveryStatus.Sent, result.Status);
            }

            Assert.Equal(3 + 1, transport.ConnectionsOpened); // docomo: 3 + 3 + 1 per connection; the relay: one for all five
        }

        var direct = await docomoMx.WaitForAsync(7, TimeSpan.FromSeconds(30));
        var relayed = await relay.WaitForAsync(5, TimeSpan.FromSeconds(30));
        Assert.All(direct, m => Assert.EndsWith("@docomo.ne.jp>", Assert.Single(m.RcptTo), StringComparison.Ordinal));
        Assert.All(relayed, m => Assert.EndsWith("@gmail.com>", Assert.Single(m.RcptTo), StringComparison.Ordinal));
    }
}
