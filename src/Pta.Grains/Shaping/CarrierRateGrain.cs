using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// <inheritdoc cref="ICarrierRateGrain"/>
/// In memory only: after a restart the bucket starts full and the rate at its configured value, which is what a
/// carrier that stopped seeing us for a while would expect anyway. The arithmetic is <see cref="CarrierBucket"/>.
/// </summary>
public sealed partial class CarrierRateGrain(TimeProvider time, ILogger<CarrierRateGrain> logger) : Grain, ICarrierRateGrain
{
    private readonly CarrierBucket _bucket = new();

    public Task<int> AcquireAsync(int wanted, double messagesPerSecond, int burst) =>
        Task.FromResult(_bucket.Acquire(time.GetUtcNow(), wanted, messagesPerSecond, burst));

    public Task SlowDownAsync()
    {
        _bucket.SlowDown(time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> UnknownUserAsync(int burst, TimeSpan window, TimeSpan pause)
    {
        var now = time.GetUtcNow();
        if (_bucket.UnknownUser(now, burst, window, pause))
        {
            LogPaused(logger, this.GetPrimaryKeyString(), burst, window, _bucket.PausedUntil!.Value);
        }

        return Task.FromResult(_bucket.IsPaused(now) ? _bucket.PausedUntil : null);
    }

    public Task<CarrierShapingState> GetStateAsync()
    {
        var now = time.GetUtcNow();
        _bucket.Recover(now);
        return Task.FromResult(new CarrierShapingState(
            this.GetPrimaryKeyString(), _bucket.Factor, _bucket.IsPaused(now) ? _bucket.PausedUntil : null, _bucket.RecentUnknownUsers));
    }

    [LoggerMessage(Level = LogLevel.Critical, EventName = "CarrierPaused",
        Message = "ALERT carrier {Carrier} paused until {Until}: {Count} unknown-user replies within {Window}. Carriers block senders that " +
                  "hit many unknown users; check the roster import for stale addresses before the pause ends.")]
    private static partial void LogPaused(ILogger logger, string carrier, int count, TimeSpan window, DateTimeOffset until);
}
