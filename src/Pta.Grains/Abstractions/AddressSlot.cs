namespace Pta.Grains.Abstractions;

/// <summary>Whether an address has proved it receives mail.</summary>
public enum AddressStatus
{
    /// <summary>Given, but its completion mail has not been accepted by the receiving server yet.</summary>
    Pending = 0,

    /// <summary>Its completion mail was accepted (250), or a school import vouched for it.</summary>
    Verified = 1,

    /// <summary>The receiving server said the mailbox does not exist (5.1.1); never mailed again.</summary>
    Invalid = 2,
}

/// <summary>
/// One of a guardian's four address slots (seed 004): only slots 1 and 2 receive broadcasts; 3 and 4 are
/// kept for contact only. <see cref="Address"/> is normalised (see <see cref="GuardianAddress"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.address-slot")]
public sealed record AddressSlot(
    [property: Id(0)] int Slot,
    [property: Id(1)] string Address,
    [property: Id(2)] AddressStatus Status,
    [property: Id(3)] DateTimeOffset? VerifiedAt)
{
    public const int BroadcastSlots = 2;
    public const int MaxSlots = 4;

    public bool ReceivesBroadcasts => Slot <= BroadcastSlots && Status == AddressStatus.Verified;
}
