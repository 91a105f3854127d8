namespace Pta.Grains.Abstractions;

/// <summary>A PTA with its officers and its members' contacts, for the staff views (which mask the addresses).</summary>
[GenerateSerializer, Immutable, Alias("pta.pta-view")]
public sealed record PtaView(
    [property: Id(0)] PtaProfile Profile,
    [property: Id(1)] IReadOnlyList<PtaOfficer> Officers,
    [property: Id(2)] IReadOnlyList<GuardianContact> Members);
