using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// <inheritdoc cref="ICarrierRateGrain"/>
/// In memory only: after a restart the bucket starts full and the rate at its configured value, which is what a
/// carrier that stopped seeing us for a while would expect anyway.
/// </summary>
public sealed class CarrierRateGrain(TimeProvider time) : Grain, ICarrierRateGrain
{
    private static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(10);
    private const double MinimumFactor = 0.1;

    private double _tokens = double.NaN;
    private DateTimeOffset _last;
    private double _factor = 1;
    private DateTimeOffset _lastSlowDown = DateTimeOffset.MinValue;

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
