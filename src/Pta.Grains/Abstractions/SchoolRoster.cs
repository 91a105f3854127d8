namespace Pta.Grains.Abstractions;

/// <summary>A school's children and the contacts of their guardians. Gateways mask addresses before showing it.</summary>
[GenerateSerializer, Immutable, Alias("pta.school-roster")]
public sealed record SchoolRoster(
    [property: Id(0)] IReadOnlyList<ChildRecord> Children,
    [property: Id(1)] IReadOnlyDictionary<string, GuardianContact> Guardians);
