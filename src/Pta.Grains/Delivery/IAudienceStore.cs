using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// The frozen audience of each broadcast, cut into shards. Written once, in bulk, before the broadcast is
/// acknowledged; read by each shard when it starts (again after a crash). A million recipients are far too many
/// for grain state (one storage write per shard), so PostgreSQL gets them in one COPY in production.
/// </summary>
public interface IAudienceStore
{
    /// <summary>Stores the shards of a broadcast, replacing whatever an earlier, unacknowledged attempt left.</summary>
    Task SaveAsync(string broadcastId, IReadOnlyList<IReadOnlyList<Recipient>> shards, CancellationToken cancellationToken);

    /// <summary>One shard's recipients, in the order they were saved; empty when none were.</summary>
    Task<IReadOnlyList<Recipient>> LoadAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken);

    /// <summary>The whole audience, every shard's recipients by shard index (reports, follow-ups); empty when none was saved.</summary>
    Task<IReadOnlyList<IReadOnlyList<Recipient>>> LoadAllAsync(string broadcastId, CancellationToken cancellationToken);
}
