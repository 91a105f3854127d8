namespace Pta.Grains.Abstractions;

/// <summary>Who a credential speaks for.</summary>
public enum CredentialRole
{
    /// <summary>A board administrator: reaches every school of the board.</summary>
    Board = 0,

    /// <summary>A school's staff: reaches that school only.</summary>
    School = 1,
}

/// <summary>What an API credential may reach. <see cref="SchoolId"/> is set for school credentials only.</summary>
[GenerateSerializer, Immutable, Alias("pta.credential-grant")]
public sealed record CredentialGrant(
    [property: Id(0)] string KeyId,
    [property: Id(1)] CredentialRole Role,
    [property: Id(2)] string BoardId,
    [property: Id(3)] string? SchoolId,
    [property: Id(4)] string Label);
