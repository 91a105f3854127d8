using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Persistence;

namespace Pta.Grains.Guardians;

/// <summary>
/// Finds the guardian who owns an address (siblings registered from one phone share a guardian) without the address
/// or a plain hash of it ever being a key in the database: the owner grain's key is an HMAC under
/// <c>Pta:AtRest:LookupKey</c>. A plain SHA-256 (the key before this, <see cref="Ids.AddressKey"/>) can be
/// confirmed by anyone with a dump who guesses the address, and carriers' addresses are guessable (old docomo
/// addresses are often the phone number).
/// </summary>
/// <remarks>
/// An owner recorded under the old key is taken over on the first claim of its address and released with it, so a
/// database upgraded in place keeps its sibling links; the old grain is cleared once it has been taken over.
/// </remarks>
public sealed class AddressOwners
{
    private const string KeyPrefix = "ah-";
    private readonly byte[] _lookupKey;

    public AddressOwners(IOptions<AtRestOptions> options)
        : this(options?.Value.DecodeLookupKey() ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <param name="lookupKey">At least 32 random bytes, the same on every silo.</param>
    public AddressOwners(byte[] lookupKey)
    {
        ArgumentNullException.ThrowIfNull(lookupKey);
        _lookupKey = lookupKey.Length >= 32 ? lookupKey.ToArray() : throw new ArgumentException("The lookup key needs at least 32 bytes.", nameof(lookupKey));
    }

    /// <summary>The owner grain's key for a normalised address (case-insensitive, as mail systems treat it).</summary>
    public string OwnerKey(string normalizedAddress)
    {
        ArgumentNullException.ThrowIfNull(normalizedAddress);
        return KeyPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(normalizedAddress.ToLowerInvariant())));
    }

    /// <summary>The address's owner, claiming it for <paramref name="guardianId"/> when it has none.</summary>
    public Task<string> ClaimAsync(IGrainFactory grains, string normalizedAddress, string guardianId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IAddressOwnerGrain>(OwnerKey(normalizedAddress)).ClaimAsync(guardianId, Ids.AddressKey(normalizedAddress));
    }

    /// <summary>Releases the address if <paramref name="guardianId"/> owns it, under the current key and the old one.</summary>
    public async Task ReleaseAsync(IGrainFactory grains, string normalizedAddress, string guardianId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        await grains.GetGrain<IAddressOwnerGrain>(OwnerKey(normalizedAddress)).ReleaseAsync(guardianId);
        await grains.GetGrain<IAddressOwnerGrain>(Ids.AddressKey(normalizedAddress)).ReleaseAsync(guardianId);
    }
}
