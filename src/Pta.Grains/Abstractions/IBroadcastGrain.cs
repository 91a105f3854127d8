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

    /// <summary>The content the shards render from.</summary>
    [AlwaysInterleave]
    Task<BroadcastContent?> GetContentAsync();

    /// <summary>A shard's final tallies; idempotent per shard.</summary>
    Task ReportShardAsync(ShardReport report);
}
