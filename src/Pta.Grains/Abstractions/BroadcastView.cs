namespace Pta.Grains.Abstractions;

/// <summary>Where a broadcast stands.</summary>
public enum BroadcastStatus
{
    /// <summary>Committed; sending has not started.</summary>
    Accepted = 0,

    /// <summary>Shards are sending.</summary>
    Sending = 1,

    /// <summary>Every shard reported; deferred and failed recipients are in the counts.</summary>
    Completed = 2,

    /// <summary>Drafted by an operator; sends once the principal (or, for a board, a board administrator) approves.</summary>
    AwaitingApproval = 3,

    /// <summary>Approved, waiting for its send time (予約配信); can still be changed or cancelled.</summary>
    Scheduled = 4,

    /// <summary>Cancelled: nobody not yet sent to is sent to. What was sent before stays in the counts.</summary>
    Cancelled = 5,

    /// <summary>The approver refused the draft; nothing was sent.</summary>
    Rejected = 6,
}

/// <summary>Per-broadcast tallies over all recipients (each address counts once).</summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-counts")]
public sealed record BroadcastCounts(
    [property: Id(0)] int Recipients,
    [property: Id(1)] int Sent,
    [property: Id(2)] int Deferred,
    [property: Id(3)] int Failed)
{
    public static BroadcastCounts Zero { get; } = new(0, 0, 0, 0);

    public BroadcastCounts Add(BroadcastCounts other) =>
        new(Recipients + other.Recipients, Sent + other.Sent, Deferred + other.Deferred, Failed + other.Failed);
}

/// <summary>
/// A broadcast as the API shows it; <see cref="PtaId"/> is set for a PTA broadcast, and <see cref="SchoolId"/> is null
/// for a board broadcast, whose schools are <see cref="SchoolIds"/>. <see cref="SentWithoutApproval"/> marks an
/// operator's emergency send that the principal has still to see; <see cref="FollowUpIds"/> are the re-sends to the
/// unconfirmed, each a broadcast of its own whose <see cref="FollowUpOf"/> names this one.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-view")]
public sealed record BroadcastView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? SchoolId,
    [property: Id(2)] string BoardId,
    [property: Id(3)] string Subject,
    [property: Id(4)] BroadcastCategory Category,
    [property: Id(5)] BroadcastStatus Status,
    [property: Id(6)] BroadcastCounts Counts,
    [property: Id(7)] DateTimeOffset AcceptedAt,
    [property: Id(8)] DateTimeOffset? CompletedAt,
    [property: Id(9)] string? PtaId = null,
    [property: Id(10)] IReadOnlyList<string>? SchoolIds = null,
    [property: Id(11)] DateTimeOffset? SendAt = null,
    [property: Id(12)] string? SubmittedBy = null,
    [property: Id(13)] string? ApprovedBy = null,
    [property: Id(14)] bool SentWithoutApproval = false,
    [property: Id(15)] bool RequestsConfirmation = false,
    [property: Id(16)] IReadOnlyList<string>? FollowUpIds = null,
    [property: Id(17)] string? FollowUpOf = null,
    [property: Id(18)] string? Note = null);
