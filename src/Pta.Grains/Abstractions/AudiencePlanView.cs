namespace Pta.Grains.Abstractions;

/// <summary>
/// How a broadcast's audience was frozen: each shard's school (so a recipient's school is known without a roster
/// lookup) and the audience it was resolved with (so a report counts only the classes the broadcast targeted).
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.audience-plan-view")]
public sealed record AudiencePlanView(
    [property: Id(0)] IReadOnlyList<ShardPlan> Shards,
    [property: Id(1)] Audience Audience);
