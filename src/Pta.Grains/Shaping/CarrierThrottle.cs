using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// Hot path: a silo's side of cluster-wide shaping. A send first takes one of its carrier's connection slots (this
/// silo's equal share of the carrier's cluster-wide <see cref="CarrierLimit.MaxConnections"/>), then waits for a
/// permit of its carrier's rate; permits come from the carrier's rate grain in batches, so most sends cost no grain
/// call. Unconfigured carriers pass freely. A rate grain whose silo has just died cannot be reached until the cluster
/// declares that silo dead and the grain starts elsewhere (seconds): meanwhile each silo sends at its share of the
/// rate (<see cref="CarrierPermits"/>), and the best-effort calls after a send (slow down, unknown user) never fail a
/// send that has happened.
/// </summary>
public sealed partial class CarrierThrottle(
    IGrainFactory grains, IOptions<ShapingOptions> options, IClusterMembershipService? membership = null,
    ILogger<CarrierThrottle>? logger = null, TimeProvider? time = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<CarrierThrottle>.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly ConcurrentDictionary<Carrier, ElasticGate> _gates = new();

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<Carrier, CarrierPermits> _permits = new();

    public async ValueTask WaitAsync(Carrier carrier, CancellationToken cancellationToken)
    {
        var shaping = options.Value;
        if (!shaping.Enabled || !shaping.Carriers.TryGetValue(CarrierNames.Of(carrier), out var limit) || limit.MessagesPerSecond <= 0)
        {
            return;
        }

        var permits = PermitsOf(carrier);
        await permits.Gate.WaitAsync(cancellationToken);
        try
        {
            while (permits.Left == 0)
            {
                var burst = limit.Burst ?? Math.Max(1, (int)Math.Ceiling(limit.MessagesPerSecond));
                var granted = await permits.RefillAsync(grains.GetGrain<ICarrierRateGrain>(CarrierNames.KeyOf(carrier)),
                    Math.Max(1, shaping.BatchSize), limit.MessagesPerSecond, burst, ActiveSilos(), _time.GetUtcNow(), cancellationToken);
                if (granted == 0)
                {
                    var wait = TimeSpan.FromSeconds(Math.Min(shaping.BatchSize, burst) / limit.MessagesPerSecond);
                    await Task.Delay(wait < MinimumWait ? MinimumWait : wait > MaximumWait ? MaximumWait : wait, cancellationToken);
                }
            }

            permits.Left--;
        }
        finally
        {
            permits.Gate.Release();
        }
    }

    private CarrierPermits PermitsOf(Carrier carrier) => _permits.GetOrAdd(carrier, c => new CarrierPermits(c, _logger));

    /// <summary>
    /// Takes one of the carrier's connection slots on this silo, held until the lease is disposed. No limit configured:
    /// a lease that holds nothing.
    /// </summary>
    public ValueTask<IDisposable> EnterAsync(Carrier carrier, CancellationToken cancellationToken)
    {
        var shaping = options.Value;
        if (!shaping.Enabled || !shaping.Carriers.TryGetValue(CarrierNames.Of(carrier), out var limit) || limit.MaxConnections is not > 0)
        {
            return ValueTask.FromResult(NoLease);
        }

        var total = limit.MaxConnections.Value;
        return _gates.GetOrAdd(carrier, _ => new ElasticGate()).EnterAsync(() => total / ActiveSilos(), cancellationToken);
    }

    /// <summary>Slots of a carrier in use on this silo, for tests and metrics.</summary>
    public int InFlight(Carrier carrier) => _gates.TryGetValue(carrier, out var gate) ? gate.Inside : 0;

    /// <summary>Reports an unknown-user reply; a burst of them pauses the carrier cluster-wide (see the rate grain).</summary>
    public async ValueTask UnknownUserAsync(Carrier carrier)
    {
        var shaping = options.Value;
        if (shaping.Enabled)
        {
            try
            {
                var pausedUntil = await grains.GetGrain<ICarrierRateGrain>(CarrierNames.KeyOf(carrier))
                    .UnknownUserAsync(shaping.UnknownUserBurst, shaping.UnknownUserWindow, shaping.UnknownUserPause)
                    .WaitAsync(CarrierPermits.GrainPatience);
                if (pausedUntil is { } until)
                {
                    PermitsOf(carrier).Pause(until); // held locally too, should the grain become unreachable
                }
            }
            catch (Exception ex) when (IsUnreachable(ex))
            {
                LogReportDropped(_logger, carrier, ex.GetType().Name); // this one reply goes uncounted
            }
        }
    }

    private static readonly IDisposable NoLease = new EmptyLease();

    /// <summary>Active silos as this silo's membership view has them: each takes an equal share of a carrier's slots.</summary>
    private int ActiveSilos() =>
        Math.Max(1, membership?.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) ?? 1);

    private sealed class EmptyLease : IDisposable
    {
        public void Dispose()
        {
        }
    }

    /// <summary>Tells the carrier's rate grain to slow down; best effort, never fails the send.</summary>
    public async ValueTask DeferredAsync(Carrier carrier)
    {
        if (options.Value.Enabled && options.Value.Carriers.ContainsKey(CarrierNames.Of(carrier)))
        {
            PermitsOf(carrier).SlowDown(_time.GetUtcNow()); // the local rate a fallback would use halves too
            try
            {
                await grains.GetGrain<ICarrierRateGrain>(CarrierNames.KeyOf(carrier)).SlowDownAsync().WaitAsync(CarrierPermits.GrainPatience);
            }
            catch (Exception ex) when (IsUnreachable(ex))
            {
                LogReportDropped(_logger, carrier, ex.GetType().Name); // the next deferral slows it down
            }
        }
    }

    /// <summary>A grain call that failed because its silo is gone or going (not a bug in the call): worth asking again.</summary>
    private static bool IsUnreachable(Exception ex) => ex is TimeoutException or OrleansException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rate grain of carrier {Carrier} cannot be reached ({Kind}); a best-effort report is dropped")]
    private static partial void LogReportDropped(ILogger logger, Carrier carrier, string kind);
}
