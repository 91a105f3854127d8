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

    /// <summary>The text as submitted or last changed (the console's approval queue), or null when none was accepted under this id.</summary>
    [AlwaysInterleave]
    Task<BroadcastText?> GetTextAsync();

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

    /// <summary>Approves an operator's draft (principal, or board administrator for a board broadcast): it sends or waits for its time.</summary>
    Task<LifecycleResult> ApproveAsync(BroadcastActor actor);

    /// <summary>Refuses an operator's draft; nothing is sent.</summary>
    Task<LifecycleResult> RejectAsync(BroadcastActor actor, string? reason);

    /// <summary>Changes the send time or text of a draft or scheduled broadcast; an operator's new text needs approval again.</summary>
    Task<LifecycleResult> ChangeAsync(BroadcastActor actor, BroadcastChange change);

    /// <summary>Cancels a draft, a scheduled or a running broadcast: nobody not yet sent to is sent to.</summary>
    Task<LifecycleResult> CancelAsync(BroadcastActor actor);

    /// <summary>The approver has seen an operator's emergency send (the console stops flagging it).</summary>
    Task<LifecycleResult> AcknowledgeAsync(BroadcastActor actor);

    /// <summary>What a follow-up round of this broadcast needs from it; null before it started sending.</summary>
    [AlwaysInterleave]
    Task<FollowUpSource?> GetFollowUpSourceAsync();

    /// <summary>
    /// Makes this (new) broadcast round <paramref name="round"/> of <paramref name="parentId"/>'s follow-ups: the
    /// parent's delivered but unconfirmed addresses, sent again. Idempotent; returns the number of addresses.
    /// </summary>
    Task<int> StartFollowUpAsync(string parentId, int round);
}
