using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// Hot path: one carrier's rate permits on one silo, used by one sender at a time (<see cref="Gate"/>). They come from
/// the carrier's rate grain in batches. While that grain cannot be reached (its silo has just died, and the cluster
/// needs seconds to declare it dead and start the grain elsewhere) or does not answer within
/// <see cref="GrainPatience"/>, they come for <see cref="FallbackPeriod"/> at a time from a local bucket filling at
/// this silo's share of the carrier's rate: sending goes on at about the pace the carrier took instead of stopping.
/// That bucket also follows what this silo hears from the carrier while the grain answers (<see cref="SlowDown"/>,
/// <see cref="Pause"/>), so a fallback goes on at the slowed rate, or not at all during an unknown-user pause, rather
/// than at the configured rate the carrier was just refusing.
/// </summary>
/// <remarks>
/// The share is the rate divided by the active silos as this silo sees them, which still counts the dead one until it
/// is declared dead, so the cluster as a whole sends a little under the limit meanwhile. A silo that falls back while
/// the others still reach the grain (a call slower than the patience) can take the cluster up to 1 + 1/N of the limit
/// for that period; the carriers' limits are estimates (mission.md), and a short excess beats an emergency that stops.
/// </remarks>
internal sealed partial class CarrierPermits(Carrier carrier, ILogger logger)
{
    /// <summary>A permit request normally answers in milliseconds; one this late is treated as unreachable.</summary>
    public static readonly TimeSpan GrainPatience = TimeSpan.FromSeconds(1);

    /// <summary>How long the local bucket serves after the grain failed, before the grain is asked again.</summary>
    public static readonly TimeSpan FallbackPeriod = TimeSpan.FromSeconds(2);

    private readonly CarrierBucket _fallback = new(); // locked: deferrals are reported by any sender
    private DateTimeOffset _fallbackUntil = DateTimeOffset.MinValue;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Permits taken and not yet used.</summary>
    public int Left { get; set; }

    /// <summary>Takes up to <paramref name="wanted"/> permits into <see cref="Left"/>, from the grain or, failing it, locally; 0 means wait.</summary>
    public async Task<int> RefillAsync(
        ICarrierRateGrain grain, int wanted, double messagesPerSecond, int burst, int activeSilos, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now >= _fallbackUntil)
        {
            try
            {
                Left = await grain.AcquireAsync(wanted, messagesPerSecond, burst).WaitAsync(GrainPatience, cancellationToken);
                if (_fallbackUntil != DateTimeOffset.MinValue)
                {
                    _fallbackUntil = DateTimeOffset.MinValue;
                    LogRateGrainBack(logger, carrier);
                }

                return Left;
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException && !cancellationToken.IsCancellationRequested)
            {
                if (_fallbackUntil == DateTimeOffset.MinValue)
                {
                    LogRateGrainUnreachable(logger, carrier, ex.GetType().Name, activeSilos);
                }

                _fallbackUntil = now + FallbackPeriod;
            }
        }

        var silos = Math.Max(1, activeSilos);
        lock (_fallback)
        {
            Left = _fallback.Acquire(now, wanted, messagesPerSecond / silos, Math.Max(1, burst / silos));
        }

        return Left;
    }

    /// <summary>A deferral this silo saw (the grain is told as well, when it answers): the local rate halves as the grain's does.</summary>
    public void SlowDown(DateTimeOffset now)
    {
        lock (_fallback)
        {
            _fallback.SlowDown(now);
        }
    }

    /// <summary>The grain paused the carrier (a burst of unknown users) until <paramref name="until"/>: so does the local bucket.</summary>
    public void Pause(DateTimeOffset until)
    {
        lock (_fallback)
        {
            _fallback.PauseUntil(until);
        }
    }

    /// <summary>The local rate's share of the configured rate (1, or less after deferrals), for tests.</summary>
    public double LocalFactor(DateTimeOffset now)
    {
        lock (_fallback)
        {
            _fallback.Recover(now);
            return _fallback.Factor;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rate grain of carrier {Carrier} cannot be reached ({Kind}); this silo sends at its share (1/{Silos}) of the rate until it can")]
    private static partial void LogRateGrainUnreachable(ILogger logger, Carrier carrier, string kind, int silos);

    [LoggerMessage(Level = LogLevel.Information, Message = "The rate grain of carrier {Carrier} answers again")]
    private static partial void LogRateGrainBack(ILogger logger, Carrier carrier);
}
