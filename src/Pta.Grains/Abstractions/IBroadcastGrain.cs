using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// One broadcast: its content (stored once), its shards and its tallies. Keyed by the id
/// <see cref="Ids.BroadcastId"/> derives from the school and the Idempotency-Key.
/// </summary>
public interface IBroadcastGrain : IGrainWithStringKey
{
    /// <summary>
    /// Resolves the audience, commits the broadcast and its shards, and starts sending.
    /// Returns only after the commit, so an accepted broadcast survives any crash after it.
    /// </summary>
    Task<SubmitResult> SubmitAsync(BroadcastSubmission submission);

    /// <summary>The broadcast, or null when none was accepted under this id.</summary>
    [AlwaysInterleave]
    Task<BroadcastView?> GetAsync();

    /// <summary>Live progress per school and per carrier, or null when none was accepted under this id.</summary>
    [AlwaysInterleave]
    Task<BroadcastProgress?> GetProgressAsync();

    /// <summary>Each shard's school and the audience the broadcast was resolved with (reports), or null when none was accepted.</summary>
    [AlwaysInterleave]
    Task<AudiencePlanView?> GetAudiencePlanAsync();

    /// <summary>The content one shard renders from, with the sender of that shard's school.</summary>
    [AlwaysInterleave]
    Task<BroadcastContent?> GetShardContentAsync(int shardIndex);

    /// <summary>
    /// A shard's tallies: live ones while it sends (kept in memory), the final ones at its end (written within a
    /// second); idempotent per shard.
    /// </summary>
    Task ReportShardAsync(ShardReport report);
}
