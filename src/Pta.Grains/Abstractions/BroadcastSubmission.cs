namespace Pta.Grains.Abstractions;

/// <summary>
/// A validated broadcast request as the gateway hands it to the broadcast grain.
/// <see cref="RequestHash"/> fingerprints the content so that a replayed Idempotency-Key with a different body is caught.
/// With <see cref="PtaId"/> set it is a PTA broadcast: from the PTA's sender to its members only, while
/// <see cref="SchoolId"/> stays the PTA's school so the school's and board's credentials reach it.
/// With <see cref="BoardId"/> set it is a board broadcast: <see cref="SchoolId"/> is null and <see cref="SchoolIds"/>
/// names the schools (empty: every school of the board); each school's guardians get it from their school's sender,
/// the address they allowed in their carrier's filter.
/// With <see cref="RequestsConfirmation"/> every mail carries a personal read-confirmation link (受信確認), and
/// <see cref="FollowUpDelays"/> (after the send started) re-send to the households that have not confirmed.
/// With <see cref="SendAt"/> it waits until then (予約配信).
/// With <see cref="HoldForApproval"/> it waits for approval whatever its category and submitter: a CAP alert whose
/// rule says "draft" must not go out before a person has read it, even as an emergency.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-submission")]
public sealed record BroadcastSubmission(
    [property: Id(0)] string? SchoolId,
    [property: Id(1)] string Subject,
    [property: Id(2)] string Body,
    [property: Id(3)] BroadcastCategory Category,
    [property: Id(4)] Audience Audience,
    [property: Id(5)] string RequestHash,
    [property: Id(6)] string SubmittedBy,
    [property: Id(7)] DateTimeOffset SubmittedAt,
    [property: Id(8)] string? PtaId = null,
    [property: Id(9)] string? BoardId = null,
    [property: Id(10)] IReadOnlyList<string>? SchoolIds = null,
    [property: Id(11)] bool RequestsConfirmation = false,
    [property: Id(12)] DateTimeOffset? SendAt = null,
    [property: Id(13)] IReadOnlyList<TimeSpan>? FollowUpDelays = null,
    [property: Id(14)] BroadcastActor? Submitter = null,
    [property: Id(15)] bool HoldForApproval = false)
{
    /// <summary>Emergencies and safety alerts (緊急連絡, 緊急情報): an operator may send them without waiting for approval.</summary>
    public bool IsUrgent => Category is BroadcastCategory.Emergency or BroadcastCategory.Safety;
}
