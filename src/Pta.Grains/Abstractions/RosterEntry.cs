namespace Pta.Grains.Abstractions;

/// <summary>
/// One child's registration with one guardian and that guardian's broadcast addresses (slots 1 and 2).
/// Siblings are separate entries; the audience resolver removes duplicate addresses.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.roster-entry")]
public sealed record RosterEntry(
    [property: Id(0)] string GuardianId,
    [property: Id(1)] int Grade,
    [property: Id(2)] string Class,
    [property: Id(3)] IReadOnlyList<string> BroadcastAddresses);
