namespace Pta.Grains.Abstractions;

/// <summary>
/// One row of a school's class list as its own system exports it: a child and one guardian with up to four
/// addresses (slot order). Validated and normalised by the gateway before it reaches the school grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.roster-import-row")]
public sealed record RosterImportRow(
    [property: Id(0)] int Grade,
    [property: Id(1)] string Class,
    [property: Id(2)] string ChildName,
    [property: Id(3)] string GuardianName,
    [property: Id(4)] IReadOnlyList<string> Addresses);

/// <summary>What an import left in the roster.</summary>
[GenerateSerializer, Immutable, Alias("pta.roster-import-result")]
public sealed record RosterImportResult(
    [property: Id(0)] int Children,
    [property: Id(1)] int Guardians,
    [property: Id(2)] int KeptSelfRegistered);
