namespace Pta.Grains.Abstractions;

/// <summary>
/// One officer role of a PTA for one fiscal year (会長, 副会長, 書記, 会計 …). No address: PTA mail goes out
/// from the association's own sender address, so nothing has to change when the officers do.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.pta-officer")]
public sealed record PtaOfficer(
    [property: Id(0)] string Role,
    [property: Id(1)] string Name,
    [property: Id(2)] int FiscalYear);
