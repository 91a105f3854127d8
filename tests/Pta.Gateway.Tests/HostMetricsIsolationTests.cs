using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Grains.Telemetry;
using Pta.Silo.Hosting;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Two hosts in one process (as the test suites run gateways side by side) each export their own Pta counters through
/// their own Prometheus listener: neither counts the other's messages, and one host stopping leaves the other's series
/// in place. Before, a stopped host's meter retired the shared stream and the other's /metrics lost it for good.
/// </summary>
public sealed class HostMetricsIsolationTests
{
    [Fact]
    public async Task Each_host_exports_only_its_own_counters_and_keeps_them_after_another_host_stops()
    {
        using var first = await StartAsync();
        using var second = await StartAsync();
        Deliver(first.Host, 3);
        Deliver(second.Host, 5);

        Assert.Equal(3, DocomoSent(await first.ScrapeAsync()));
        Assert.Equal(5, DocomoSent(await second.ScrapeAsync()));

        await first.Host.StopAsync();
        first.Host.Dispose();
        Deliver(second.Host, 1);

        // The listener serves a scrape from its cache for a moment: wait for a fresh one, then one more after the
        // cache, since the collection after the other host's meter went away is where the stream used to be dropped.
        Assert.Equal(6, await DocomoSentOnceAsync(second, 6));
        await Task.Delay(ListenerCache);
        Assert.Equal(6, DocomoSent(await second.ScrapeAsync()));
    }

    /// <summary>Longer than the Prometheus listener keeps a scrape's response (300 ms by default).</summary>
    private static readonly TimeSpan ListenerCache = TimeSpan.FromSeconds(1);

    private static async Task<double> DocomoSentOnceAsync(ListeningHost host, double expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var sent = DocomoSent(await host.ScrapeAsync());
            if (sent == expected || DateTime.UtcNow > deadline)
            {
                return sent;
            }

            await Task.Delay(ListenerCache);
        }
    }

    private static void Deliver(IHost host, int messages)
    {
        var metrics = host.Services.GetRequiredService<PtaMetrics>();
        for (var n = 0; n < messages; n++)
        {
            metrics.Delivered(Carrier.Docomo, DeliveryStatus.Sent, TimeSpan.FromSeconds(1));
        }
    }

    private static double DocomoSent(string scrape) =>
        PrometheusText.Sum(scrape, "pta_messages_sent_total", ("carrier", "docomo"));

    private static async Task<ListeningHost> StartAsync()
    {
        var port = FreePort.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pta:Metrics:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Metrics:ListenAddress"] = "127.0.0.1",
        });
        builder.AddPtaTelemetry();
        builder.AddPtaMetricsListener();
        var host = builder.Build();
        await host.StartAsync();
        return new ListeningHost(host, port);
    }

    private sealed record ListeningHost(IHost Host, int Port) : IDisposable
    {
        private readonly HttpClient _client = new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

        public async Task<string> ScrapeAsync() => await _client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        public void Dispose()
        {
            _client.Dispose();
            Host.Dispose();
        }
    }
}
