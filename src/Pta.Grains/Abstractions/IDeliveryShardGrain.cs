namespace Pta.Grains.Abstractions;

/// <summary>
/// A slice of one broadcast's recipients, sent by whichever silo the shard activates on; shards are
/// placed at random, so a broadcast spreads over every silo. Keyed by <see cref="Ids.ShardKey"/>.
/// The recipients themselves are in the audience store, written in bulk when the broadcast was accepted.
/// </summary>
public interface IDeliveryShardGrain : IGrainWithStringKey
{
    /// <summary>Starts sending if not finished and not already running; returns at once.</summary>
    Task StartAsync(string broadcastId, int shardIndex);

    /// <summary>The broadcast was cancelled: send to nobody else (a message already handed over is not recalled).</summary>
    Task CancelAsync();
}
