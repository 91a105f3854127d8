namespace Pta.Grains.Abstractions;

/// <summary>
/// What a school keeps about one guardian of its children: the compact part the fan-out reads. The guardian
/// grain pushes a new copy whenever the guardian changes, so a broadcast never wakes guardian grains.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.guardian-contact")]
public sealed record GuardianContact(
    [property: Id(0)] string GuardianId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<AddressSlot> Addresses,
    [property: Id(3)] bool ReceiveBroadcasts)
{
    /// <summary>The addresses a broadcast goes to: verified, in slot 1 or 2, and only while the switch is on.</summary>
    public IEnumerable<AddressSlot> BroadcastAddresses =>
        ReceiveBroadcasts ? Addresses.Where(a => a.ReceivesBroadcasts).OrderBy(a => a.Slot) : [];
}
