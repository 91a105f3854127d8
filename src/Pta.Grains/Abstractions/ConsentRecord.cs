namespace Pta.Grains.Abstractions;

/// <summary>
/// A consent as the PTA handbook (seed 003) and APPI want it recorded: what for, which policy text,
/// when and from which IP address; withdrawal is recorded, not deleted.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.consent-record")]
public sealed record ConsentRecord(
    [property: Id(0)] string Purpose,
    [property: Id(1)] string PolicyVersion,
    [property: Id(2)] DateTimeOffset GrantedAt,
    [property: Id(3)] string IpAddress,
    [property: Id(4)] DateTimeOffset? WithdrawnAt)
{
    /// <summary>The purpose of a PTA membership's consent.</summary>
    public static string PtaPurpose(string ptaId) => $"pta:{ptaId}";
}
