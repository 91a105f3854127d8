namespace Pta.Grains.Abstractions;

/// <summary>What a follow-up round takes from the broadcast it re-sends: its request, content, board and shards.</summary>
[GenerateSerializer, Immutable, Alias("pta.follow-up-source")]
public sealed record FollowUpSource(
    [property: Id(0)] BroadcastSubmission Submission,
    [property: Id(1)] BroadcastContent Content,
    [property: Id(2)] string BoardId,
    [property: Id(3)] IReadOnlyList<ShardPlan> Shards);
