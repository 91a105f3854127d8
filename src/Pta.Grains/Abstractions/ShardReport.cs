namespace Pta.Grains.Abstractions;

/// <summary>
/// A shard's tallies, reported to its broadcast: while it sends (<see cref="Final"/> false, after every ledger
/// record) and once at the end. Reporting twice replaces, never adds.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.shard-report")]
public sealed record ShardReport(
    [property: Id(0)] int ShardIndex,
    [property: Id(1)] BroadcastCounts Counts,
    [property: Id(2)] IReadOnlyDictionary<Carrier, BroadcastCounts>? ByCarrier = null,
    [property: Id(3)] bool Final = true);
