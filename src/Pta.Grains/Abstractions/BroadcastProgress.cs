namespace Pta.Grains.Abstractions;

/// <summary>
/// Live progress of a broadcast, as the board's and school's consoles show it during a send: totals, then one
/// line per school and per carrier. <c>Recipients</c> is the audience; the other counts grow as shards record.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-progress")]
public sealed record BroadcastProgress(
    [property: Id(0)] string BroadcastId,
    [property: Id(1)] BroadcastStatus Status,
    [property: Id(2)] BroadcastCounts Counts,
    [property: Id(3)] IReadOnlyList<SchoolProgress> Schools,
    [property: Id(4)] IReadOnlyList<CarrierProgress> Carriers);

/// <summary>One school's part of a broadcast.</summary>
[GenerateSerializer, Immutable, Alias("pta.school-progress")]
public sealed record SchoolProgress([property: Id(0)] string SchoolId, [property: Id(1)] BroadcastCounts Counts);

/// <summary>One carrier's part of a broadcast.</summary>
[GenerateSerializer, Immutable, Alias("pta.carrier-progress")]
public sealed record CarrierProgress([property: Id(0)] Carrier Carrier, [property: Id(1)] BroadcastCounts Counts);
