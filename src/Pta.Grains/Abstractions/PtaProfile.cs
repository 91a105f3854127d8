namespace Pta.Grains.Abstractions;

/// <summary>
/// A school's PTA (単位PTA) as its school registered it. The sender address is the association's, not an
/// officer's, so it survives the yearly change of officers (seed 000) and guardians' carrier filters keep
/// allowing it.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.pta-profile")]
public sealed record PtaProfile(
    [property: Id(0)] string PtaId,
    [property: Id(1)] string SchoolId,
    [property: Id(2)] string Name,
    [property: Id(3)] string SenderAddress,
    [property: Id(4)] string SenderName);
