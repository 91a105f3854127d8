namespace Pta.Grains.Abstractions;

/// <summary>
/// One carrier's token bucket for the whole cluster (one activation per carrier, keyed by the carrier's name), so a
/// limit holds however many silos send. Silos take permits in batches; a deferral halves the rate for a while.
/// </summary>
public interface ICarrierRateGrain : IGrainWithStringKey
{
    /// <summary>Takes up to <paramref name="wanted"/> permits now; 0 when the bucket is empty.</summary>
    Task<int> AcquireAsync(int wanted, double messagesPerSecond, int burst);

    /// <summary>The carrier answered 421/4xx, reset or timed out: halve the rate (down to a tenth), recovering later.</summary>
    Task SlowDownAsync();

    /// <summary>
    /// The carrier answered "unknown user" (5.1.1). Carriers block senders that hit many unknown users, so a burst of
    /// <paramref name="burst"/> within <paramref name="window"/> pauses the carrier for <paramref name="pause"/> (no permits)
    /// and raises an alert. Returns the end of the pause, or null when not paused.
    /// </summary>
    Task<DateTimeOffset?> UnknownUserAsync(int burst, TimeSpan window, TimeSpan pause);

    /// <summary>The carrier's shaping state, for operators.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<CarrierShapingState> GetStateAsync();
}
