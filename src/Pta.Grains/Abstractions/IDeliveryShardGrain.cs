namespace Pta.Grains.Abstractions;

/// <summary>
/// A slice of one broadcast's recipients, sent by whichever silo the shard activates on; shards are
/// placed at random, so a broadcast spreads over every silo. Keyed by <see cref="Ids.ShardKey"/>.
/// </summary>
public interface IDeliveryShardGrain : IGrainWithStringKey
{
    /// <summary>Stores the shard's recipients (before the broadcast is acknowledged).</summary>
    Task AssignAsync(string broadcastId, int shardIndex, IReadOnlyList<Recipient> recipients);

    /// <summary>Starts sending if not finished and not already running; returns at once.</summary>
    Task StartAsync();
}
