namespace Pta.Grains.Abstractions;

/// <summary>One silo's running totals for one carrier since the silo started: send attempts by outcome.</summary>
[GenerateSerializer, Immutable, Alias("pta.carrier-totals")]
public sealed record CarrierTotals(
    [property: Id(0)] Carrier Carrier,
    [property: Id(1)] long Sent,
    [property: Id(2)] long Deferred,
    [property: Id(3)] long Bounced,
    [property: Id(4)] long Failed);
