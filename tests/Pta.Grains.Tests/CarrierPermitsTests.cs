using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;

namespace Pta.Grains.Tests;

/// <summary>
/// A carrier's rate grain lost with its silo (benchmarks/chaos.sh kills silos): that carrier's sends go on at this
/// silo's share of the rate instead of stopping until the cluster has declared the silo dead, then use the grain again.
/// </summary>
public sealed class CarrierPermitsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_unreachable_rate_grain_gives_way_to_this_silos_share_of_the_rate_then_to_the_grain_again()
    {
        var grain = new FakeRateGrain { Failure = new OrleansException("the silo of this grain is gone") };
        var permits = new CarrierPermits(Carrier.Docomo, NullLogger.Instance);

        // 100/s with a burst of 100 over 4 active silos: this silo's share is 25/s with a burst of 25.
        Assert.Equal(20, await RefillAsync(permits, grain, Start));
        Assert.Equal(5, await RefillAsync(permits, grain, Start));
        Assert.Equal(0, await RefillAsync(permits, grain, Start));
        Assert.Equal(10, await RefillAsync(permits, grain, Start.AddSeconds(0.4)));
        Assert.Equal(1, grain.Calls); // within the fallback period the grain is not asked again

        grain.Failure = null;
        Assert.Equal(FakeRateGrain.Grant, await RefillAsync(permits, grain, Start + CarrierPermits.FallbackPeriod));
        Assert.Equal(2, grain.Calls);
    }

    [Fact]
    public async Task A_rate_grain_that_does_not_answer_within_its_patience_counts_as_unreachable()
    {
        var grain = new FakeRateGrain { Hang = true };
        var permits = new CarrierPermits(Carrier.Au, NullLogger.Instance);
        var watch = Stopwatch.StartNew();

        var granted = await RefillAsync(permits, grain, Start);

        Assert.Equal(20, granted); // from the local share (25), not from the grain that never answered
        Assert.InRange(watch.Elapsed, CarrierPermits.GrainPatience * 0.9, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_deferral_heard_before_the_grain_was_lost_halves_the_local_share_too()
    {
        var grain = new FakeRateGrain { Failure = new OrleansException("the silo of this grain is gone") };
        var permits = new CarrierPermits(Carrier.Softbank, NullLogger.Instance);
        permits.SlowDown(Start);

        Assert.Equal(0.5, permits.LocalFactor(Start));
        Assert.Equal(20, await RefillAsync(permits, grain, Start)); // the burst (25) is there at once
        Assert.Equal(5, await RefillAsync(permits, grain, Start));
        Assert.Equal(5, await RefillAsync(permits, grain, Start.AddSeconds(0.4))); // 12.5/s, not the configured share's 25/s

        // It recovers as the grain's rate does: a quarter more per quiet step.
        Assert.Equal(0.625, permits.LocalFactor(Start + CarrierBucket.RecoveryStep));
    }

    [Fact]
    public async Task An_unknown_user_pause_the_grain_set_holds_while_the_grain_cannot_be_reached()
    {
        var grain = new FakeRateGrain { Failure = new OrleansException("the silo of this grain is gone") };
        var permits = new CarrierPermits(Carrier.Docomo, NullLogger.Instance);
        permits.Pause(Start.AddMinutes(10));

        Assert.Equal(0, await RefillAsync(permits, grain, Start));
        Assert.Equal(0, await RefillAsync(permits, grain, Start.AddMinutes(9)));
        Assert.Equal(20, await RefillAsync(permits, grain, Start.AddMinutes(10)));
    }

    private static Task<int> RefillAsync(CarrierPermits permits, ICarrierRateGrain grain, DateTimeOffset now) =>
        permits.RefillAsync(grain, wanted: 20, messagesPerSecond: 100, burst: 100, activeSilos: 4, now, CancellationToken.None);

    private sealed class FakeRateGrain : ICarrierRateGrain
    {
        public const int Grant = 20;

        public Exception? Failure { get; set; }

        public bool Hang { get; init; }

        public int Calls { get; private set; }

        public Task<int> AcquireAsync(int wanted, double messagesPerSecond, int burst)
        {
            Calls++;
            return Hang ? new TaskCompletionSource<int>().Task : Failure is { } failure ? Task.FromException<int>(failure) : Task.FromResult(Math.Min(wanted, Grant));
        }

        public Task SlowDownAsync() => Task.CompletedTask;

        public Task<DateTimeOffset?> UnknownUserAsync(int burst, TimeSpan window, TimeSpan pause) => Task.FromResult<DateTimeOffset?>(null);

        public Task<CarrierShapingState> GetStateAsync() => throw new NotSupportedException();
    }
}
