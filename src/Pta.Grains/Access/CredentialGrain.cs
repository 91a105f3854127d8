using System.Security.Cryptography;
using System.Text;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Access;

/// <inheritdoc cref="ICredentialGrain"/>
public sealed class CredentialGrain(
    [PersistentState("credential", StorageNames.State)] IPersistentState<CredentialState> state) : Grain, ICredentialGrain
{
    public async Task IssueAsync(CredentialGrant grant, byte[] secretHash)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(secretHash);
        state.State.Grant = grant;
        state.State.SecretHash = secretHash;
        await state.WriteStateAsync();
    }

    public Task<CredentialGrant?> VerifyAsync(string secret)
    {
        if (state.State.Grant is null || state.State.SecretHash is null || string.IsNullOrEmpty(secret))
        {
            return Task.FromResult<CredentialGrant?>(null);
        }

        // Secrets are 256 random bits, so one SHA-256 is enough (no password stretching needed);
        // the comparison is constant-time so timing reveals nothing about the stored hash.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var matches = CryptographicOperations.FixedTimeEquals(hash, state.State.SecretHash);
        return Task.FromResult(matches ? state.State.Grant : null);
    }

    public async Task RevokeAsync()
    {
        await state.ClearStateAsync();
    }
}
