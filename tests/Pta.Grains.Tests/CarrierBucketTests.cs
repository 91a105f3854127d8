using Pta.Grains.Shaping;

namespace Pta.Grains.Tests;

/// <summary>Shaping arithmetic on an explicit clock: back-off after deferrals, recovery when they stop, the unknown-user pause.</summary>
public sealed class CarrierBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_storm_of_deferrals_halves_once_repeated_storms_go_down_to_a_tenth_and_quiet_periods_restore_it()
    {
        var bucket = new CarrierBucket();
        bucket.Acquire(T0, 100, messagesPerSecond: 100, burst: 100); // empty the bucket

        for (var i = 0; i < 50; i++)
        {
            bucket.SlowDown(T0); // fifty sends in flight refused together: one signal
        }

        var afterStorm = bucket.Factor;
        var halved = bucket.Acquire(T0.AddSeconds(1), 1000, 100, 1000); // one second refills 100 × 0.5
        for (var i = 1; i <= 10; i++)
        {
            bucket.SlowDown(T0.AddSeconds(2 * i)); // refusals go on, one storm every 2 s
        }

        var floor = bucket.Factor;
        bucket.Recover(T0.AddSeconds(20 + 4));
        var beforeAStep = bucket.Factor;
        bucket.Recover(T0.AddSeconds(20 + 5));
        var afterOneStep = bucket.Factor;
        bucket.Recover(T0.AddSeconds(20 + 5 * 11)); // 0.1 × 1.25^11 > 1

        Assert.Equal(0.5, afterStorm);
        Assert.Equal(50, halved);
        Assert.Equal(CarrierBucket.MinimumFactor, floor);
        Assert.Equal(CarrierBucket.MinimumFactor, beforeAStep);
        Assert.Equal(0.125, afterOneStep, precision: 6);
        Assert.Equal(1, bucket.Factor);
        Assert.Equal(100, bucket.Acquire(T0.AddSeconds(200), 1000, 100, 100)); // full rate, full burst again
    }

    [Fact]
    public void A_burst_of_unknown_users_within_the_window_pauses_and_the_pause_ends_by_itself()
    {
        var bucket = new CarrierBucket();
        var window = TimeSpan.FromMinutes(1);
        var pause = TimeSpan.FromMinutes(5);

        var spread = Enumerable.Range(0, 5).Select(i => bucket.UnknownUser(T0.AddSeconds(i * 40), 3, window, pause)).ToList();
        var burst = Enumerable.Range(0, 3).Select(i => bucket.UnknownUser(T0.AddSeconds(300 + i), 3, window, pause)).ToList();
        var duringPause = bucket.Acquire(T0.AddSeconds(400), 10, 100, 100);
        var afterPause = bucket.Acquire(T0.AddSeconds(302 + 300), 10, 100, 100);

        Assert.All(spread, started => Assert.False(started)); // 40 s apart: never 3 within a minute
        Assert.Equal([false, false, true], burst);
        Assert.Equal(T0.AddSeconds(302) + pause, bucket.PausedUntil);
        Assert.Equal(0, duringPause);
        Assert.Equal(10, afterPause);
    }
}
