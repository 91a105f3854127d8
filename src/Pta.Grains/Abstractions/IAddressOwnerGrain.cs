namespace Pta.Grains.Abstractions;

/// <summary>
/// Which guardian an address belongs to, so a second child registered from the same address joins the same
/// guardian (one copy of a broadcast for siblings). Keyed by an HMAC of the address (<c>Guardians.AddressOwners</c>);
/// grains under the older plain-hash key (<see cref="Ids.AddressKey"/>) are only taken over.
/// </summary>
public interface IAddressOwnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// The owner, claiming the address for <paramref name="guardianId"/> when it has none. An address without an owner
    /// first takes over the one recorded under <paramref name="legacyKey"/>, if any (a database from before the HMAC key).
    /// </summary>
    Task<string> ClaimAsync(string guardianId, string? legacyKey);

    /// <summary>Releases the address if <paramref name="guardianId"/> owns it.</summary>
    Task ReleaseAsync(string guardianId);

    /// <summary>The owner, or null when the address has none; claims nothing.</summary>
    Task<string?> OwnerAsync();
}
