using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// <inheritdoc cref="ICarrierRateGrain"/>
/// In memory only: after a restart the bucket starts full and the rate at its configured value, which is what a
/// carrier that stopped seeing us for a while would expect anyway.
/// </summary>
public sealed partial class CarrierRateGrain(TimeProvider time, ILogger<CarrierRateGrain> logger) : Grain, ICarrierRateGrain
{
    private static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(10);
    private const double MinimumFactor = 0.1;

    private double _tokens = double.NaN;
    private DateTimeOffset _last;
    private double _factor = 1;
    private DateTimeOffset _lastSlowDown = DateTimeOffset.MinValue;
    private readonly Queue<DateTimeOffset> _unknownUsers = new();
    private DateTimeOffset? _pausedUntil;

    public Task<int> AcquireAsync(int wanted, double messagesPerSecond, int burst)
    {
        var now = time.GetUtcNow();
        Recover(now);
        if (double.IsNaN(_tokens))
        {
            _tokens = burst;
        }
        else
        {
            _tokens = Math.Min(burst, _tokens + (now - _last).TotalSeconds * messagesPerSecond * _factor);
        }

        _last = now;
        if (_pausedUntil > now)
        {
            return Task.FromResult(0); // paused after a burst of unknown users: the bucket fills, nothing leaves
        }

        var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
        _tokens -= granted;
        return Task.FromResult(granted);
    }

    public Task SlowDownAsync()
    {
        _factor = Math.Max(MinimumFactor, _factor / 2);
        _lastSlowDown = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> UnknownUserAsync(int burst, TimeSpan window, TimeSpan pause)
    {
        var now = time.GetUtcNow();
        _unknownUsers.Enqueue(now);
        while (_unknownUsers.Count > 0 && now - _unknownUsers.Peek() > window)
        {
            _unknownUsers.Dequeue();
        }

        if (_unknownUsers.Count >= burst && !(_pausedUntil > now))
        {
            _pausedUntil = now + pause;
            _unknownUsers.Clear();
            LogPaused(logger, this.GetPrimaryKeyString(), burst, window, _pausedUntil.Value);
        }

        return Task.FromResult(_pausedUntil > now ? _pausedUntil : null);
    }

    public Task<CarrierShapingState> GetStateAsync()
    {
        var now = time.GetUtcNow();
        Recover(now);
        return Task.FromResult(new CarrierShapingState(this.GetPrimaryKeyString(), _factor, _pausedUntil > now ? _pausedUntil : null, _unknownUsers.Count));
    }

    [LoggerMessage(Level = LogLevel.Critical, EventName = "CarrierPaused",
        Message = "ALERT carrier {Carrier} paused until {Until}: {Count} unknown-user replies within {Window}. Carriers block senders that " +
                  "hit many unknown users; check the roster import for stale addresses before the pause ends.")]
    private static partial void LogPaused(ILogger logger, string carrier, int count, TimeSpan window, DateTimeOffset until);

    /// <summary>Each quiet 10 s without a deferral raises the rate by a quarter again, back to the configured rate.</summary>
    private void Recover(DateTimeOffset now)
    {
        while (_factor < 1 && now - _lastSlowDown >= RecoveryStep)
        {
            _factor = Math.Min(1, _factor * 1.25);
            _lastSlowDown += RecoveryStep;
        }
    }
}
