namespace Pta.Grains.Abstractions;

/// <summary>
/// Which guardian an address belongs to, so a second child registered from the same address joins the same
/// guardian (one copy of a broadcast for siblings). Keyed by <see cref="Ids.AddressKey"/>.
/// </summary>
public interface IAddressOwnerGrain : IGrainWithStringKey
{
    /// <summary>The owner, claiming the address for <paramref name="guardianId"/> when it has none.</summary>
    Task<string> ClaimAsync(string guardianId);

    /// <summary>Releases the address if <paramref name="guardianId"/> owns it.</summary>
    Task ReleaseAsync(string guardianId);
}
