namespace Pta.Grains.Abstractions;

/// <summary>Where a guardian's registration stands.</summary>
public enum GuardianStatus
{
    Active = 0,

    /// <summary>Withdrawn: receives nothing; personal data is purged after the retention period.</summary>
    Withdrawn = 1,

    /// <summary>Personal data purged; only the fact and time of the purge remain.</summary>
    Purged = 2,
}

/// <summary>A child link of a guardian: which school, which registration.</summary>
[GenerateSerializer, Immutable, Alias("pta.child-link")]
public sealed record ChildLink([property: Id(0)] string SchoolId, [property: Id(1)] string ChildId);

/// <summary>Everything a guardian may see about themselves (self-service and "download my data").</summary>
[GenerateSerializer, Immutable, Alias("pta.guardian-view")]
public sealed record GuardianView(
    [property: Id(0)] string GuardianId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<AddressSlot> Addresses,
    [property: Id(3)] bool ReceiveBroadcasts,
    [property: Id(4)] IReadOnlyList<ChildLink> Children,
    [property: Id(5)] IReadOnlyList<ConsentRecord> Consents,
    [property: Id(6)] GuardianStatus Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? WithdrawnAt,
    [property: Id(9)] DateTimeOffset? PurgedAt,
    [property: Id(10)] IReadOnlyList<string>? Ptas = null);
