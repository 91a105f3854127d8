namespace Pta.Grains.Abstractions;

/// <summary>A shard's final tallies, reported to its broadcast. Reporting twice replaces, never adds.</summary>
[GenerateSerializer, Immutable, Alias("pta.shard-report")]
public sealed record ShardReport([property: Id(0)] int ShardIndex, [property: Id(1)] BroadcastCounts Counts);
