namespace Pta.Grains.Abstractions;

/// <summary>Why a household is on the phone-call list of a broadcast.</summary>
public enum FollowUpReason
{
    /// <summary>At least one address accepted the mail, and nobody of the household confirmed.</summary>
    Unconfirmed = 0,

    /// <summary>Every address of the household failed permanently (5xx, unknown user, or retries expired).</summary>
    Bounced = 1,

    /// <summary>No address accepted the mail yet and at least one is waiting for a retry after a 4xx.</summary>
    Deferred = 2,

    /// <summary>No address has been tried yet: the broadcast is still sending.</summary>
    Pending = 3,

    /// <summary>A child of the targeted audience none of whose guardians the broadcast went to: no usable address.</summary>
    NoAddressOnFile = 4,

    /// <summary>The guardian was in the audience but has switched broadcasts off since: not "unconfirmed".</summary>
    BroadcastsSwitchedOff = 5,
}

/// <summary>
/// One line of a broadcast's phone-call list: a household (guardian) for one of its children in the targeted
/// audience, with addresses masked as the roster API masks them (<c>t***@docomo.ne.jp</c>). Names come from the
/// school's roster at export time; a household with no child on the roster any more has no grade, class or child.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.unconfirmed-household")]
public sealed record UnconfirmedHousehold(
    [property: Id(0)] string SchoolId,
    [property: Id(1)] int? Grade,
    [property: Id(2)] string? Class,
    [property: Id(3)] string? ChildName,
    [property: Id(4)] string GuardianName,
    [property: Id(5)] IReadOnlyList<string> MaskedAddresses,
    [property: Id(6)] FollowUpReason Reason,
    [property: Id(7)] string? Reply);
