namespace Pta.Grains.Abstractions;

/// <summary>
/// One shard of a broadcast as the broadcast planned it: which school's guardians it holds and whose sender
/// they get. A shard never mixes schools, so every message of a shard carries the sender its guardians allowed.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.shard-plan")]
public sealed record ShardPlan(
    [property: Id(0)] int Index,
    [property: Id(1)] string SchoolId,
    [property: Id(2)] string SenderAddress,
    [property: Id(3)] string SenderName,
    [property: Id(4)] int Recipients);
