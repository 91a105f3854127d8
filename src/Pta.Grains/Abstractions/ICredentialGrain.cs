using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// One API credential, keyed by its public key id. Only a hash of the secret is stored,
/// so a copy of the database does not let anyone call the API.
/// </summary>
public interface ICredentialGrain : IGrainWithStringKey
{
    /// <summary>Stores the grant and the SHA-256 of the secret, replacing any earlier one.</summary>
    Task IssueAsync(CredentialGrant grant, byte[] secretHash);

    /// <summary>The grant when the secret matches, otherwise null.</summary>
    [AlwaysInterleave]
    Task<CredentialGrant?> VerifyAsync(string secret);

    /// <summary>Revokes the credential.</summary>
    Task RevokeAsync();
}
