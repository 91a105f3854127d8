namespace Pta.Grains.Abstractions;

/// <summary>What a roll-over did: children promoted, graduated (removed), guardians left without a child here.</summary>
[GenerateSerializer, Immutable, Alias("pta.roll-over-result")]
public sealed record RollOverResult(
    [property: Id(0)] int Promoted,
    [property: Id(1)] int Graduated,
    [property: Id(2)] int GuardiansRemoved);
