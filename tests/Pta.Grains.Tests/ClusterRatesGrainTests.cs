using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Telemetry;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// The cluster's rate grain on a clock the test moves: a rate over its window, a silo that restarted starting again,
/// and a silo that stopped reporting dropping out.
/// </summary>
public sealed class ClusterRatesGrainTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(9)));
    private PostgresTestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        (_database, _cluster) = await PostgresTestCluster.StartAsync(
            "rates", (services, database) => ClusterFixture.AddServices(services, database, new CapturingTransport(), new InMemoryConfirmationStore(), _clock));

    [Fact]
    public async Task Each_silo_has_its_rate_over_the_window_restarts_start_again_and_silent_silos_drop_out()
    {
        var rates = _cluster.Client.GetGrain<IClusterRatesGrain>(0);
        await rates.ReportAsync("silo-a", Totals(docomo: 0, au: 0));
        await rates.ReportAsync("silo-b", Totals(docomo: 10, au: 0));
        _clock.Advance(TimeSpan.FromSeconds(2));
        await rates.ReportAsync("silo-a", Totals(docomo: 150, au: 50)); // 200 in 2 s
        await rates.ReportAsync("silo-b", Totals(docomo: 10, au: 0)); // idle

        var view = await rates.GetAsync();
        Assert.Equal(["silo-a", "silo-b"], view.Select(s => s.Silo));
        Assert.Equal(100, view[0].SentPerSecond);
        Assert.Equal(200, view[0].Sent);
        Assert.Equal(0, view[1].SentPerSecond);

        // Past the window the oldest report goes: the rate is that of the last ~10 s only.
        for (var i = 0; i < 6; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            await rates.ReportAsync("silo-a", Totals(docomo: 200 + (20 * i), au: 50));
        }

        Assert.Equal(10, (await rates.GetAsync())[0].SentPerSecond); // 20 every 2 s

        // silo-a restarts (its totals begin again); silo-b has said nothing for 14 s, then for over 30 s.
        await rates.ReportAsync("silo-a", Totals(docomo: 5, au: 0));
        view = await rates.GetAsync();
        Assert.Equal(0, view[0].SentPerSecond);
        Assert.Equal(5, view[0].Sent);
        Assert.Contains(view, s => s.Silo == "silo-b");
        _clock.Advance(ClusterRatesGrain.StaleAfter);
        await rates.ReportAsync("silo-a", Totals(docomo: 5, au: 0));
        Assert.Equal(["silo-a"], (await rates.GetAsync()).Select(s => s.Silo));
    }

    private static IReadOnlyList<CarrierTotals> Totals(long docomo, long au) =>
        [new CarrierTotals(Carrier.Docomo, docomo, 1, 0, 0), new CarrierTotals(Carrier.Au, au, 0, 2, 0)];

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}
