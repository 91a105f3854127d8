using System.Diagnostics;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;

namespace Pta.Grains.Tests;

/// <summary>
/// Cluster-wide carrier limits: one rate grain per carrier hands out permits, so two silos' throttles together
/// cannot go faster than the carrier's configured rate. Only lower bounds on time are asserted (load can only slow).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ShapingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_bucket_grants_its_burst_then_only_what_the_rate_refills()
    {
        var bucket = fixture.Grains.GetGrain<ICarrierRateGrain>("bucket-" + Guid.NewGuid().ToString("N")[..8]);

        var first = await bucket.AcquireAsync(100, messagesPerSecond: 20, burst: 10);
        var second = await bucket.AcquireAsync(100, messagesPerSecond: 20, burst: 10);

        Assert.Equal(10, first);
        Assert.InRange(second, 0, 1);
    }

    [Fact]
    public async Task Two_silos_throttles_share_one_cluster_wide_rate_and_a_deferral_slows_it()
    {
        var carrier = Carrier.Softbank;
        var options = Options.Create(new ShapingOptions
        {
            Enabled = true,
            BatchSize = 5,
            Carriers = { [carrier.ToString()] = new CarrierLimit { MessagesPerSecond = 50, Burst = 5 } },
        });
        var siloA = new CarrierThrottle(fixture.Grains, options);
        var siloB = new CarrierThrottle(fixture.Grains, options);
        var unlimited = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            await siloA.WaitAsync(Carrier.Other, CancellationToken.None); // not configured: never waits
        }

        unlimited.Stop();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(SendAsync(siloA, carrier, 30), SendAsync(siloB, carrier, 30));
        watch.Stop();

        // 60 permits at 50/s with a burst of 5 take at least (60 - 5) / 50 = 1.1 s, whichever silo asks.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.0), $"60 sends took {watch.Elapsed}: the shared limit did not hold");
        Assert.True(unlimited.Elapsed < TimeSpan.FromSeconds(1), $"unconfigured carrier waited {unlimited.Elapsed}");

        await siloA.DeferredAsync(carrier); // halves the rate to 25/s
        var slowed = Stopwatch.StartNew();
        await SendAsync(siloB, carrier, 30);
        slowed.Stop();
        Assert.True(slowed.Elapsed >= TimeSpan.FromSeconds(0.9), $"30 sends after a deferral took {slowed.Elapsed}: no slow-down");
    }

    private static async Task SendAsync(CarrierThrottle throttle, Carrier carrier, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await throttle.WaitAsync(carrier, CancellationToken.None);
        }
    }
}
