using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Shaping;

/// <summary>
/// Hot path: a silo's side of cluster-wide shaping. A send waits here for a permit of its carrier; permits come
/// from the carrier's rate grain in batches, so most sends cost no grain call. Unconfigured carriers pass freely.
/// </summary>
public sealed class CarrierThrottle(IGrainFactory grains, IOptions<ShapingOptions> options)
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<Carrier, Permits> _permits = new();

    public async ValueTask WaitAsync(Carrier carrier, CancellationToken cancellationToken)
    {
        var shaping = options.Value;
        if (!shaping.Enabled || !shaping.Carriers.TryGetValue(carrier.ToString(), out var limit) || limit.MessagesPerSecond <= 0)
        {
            return;
        }

        var permits = _permits.GetOrAdd(carrier, _ => new Permits());
        await permits.Gate.WaitAsync(cancellationToken);
        try
        {
            while (permits.Left == 0)
            {
                var burst = limit.Burst ?? Math.Max(1, (int)Math.Ceiling(limit.MessagesPerSecond));
                permits.Left = await grains.GetGrain<ICarrierRateGrain>(carrier.ToString().ToLowerInvariant())
                    .AcquireAsync(Math.Max(1, shaping.BatchSize), limit.MessagesPerSecond, burst);
                if (permits.Left == 0)
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

    /// <summary>Tells the carrier's rate grain to slow down; best effort, never fails the send.</summary>
    public async ValueTask DeferredAsync(Carrier carrier)
    {
        if (options.Value.Enabled && options.Value.Carriers.ContainsKey(carrier.ToString()))
        {
            await grains.GetGrain<ICarrierRateGrain>(carrier.ToString().ToLowerInvariant()).SlowDownAsync();
        }
    }

    private sealed class Permits
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Left { get; set; }
    }
}
