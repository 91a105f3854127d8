using System.Security.Cryptography;
using System.Text;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Access;

/// <summary>
/// API credentials look like <c>pta.&lt;key id&gt;.&lt;secret&gt;</c>: the key id names the credential grain,
/// the secret is 256 random bits that only the holder knows (the grain keeps its hash).
/// </summary>
public static class ApiCredentials
{
    private const string Prefix = "pta";

    /// <summary>Creates a credential for a grant and returns the token to hand to its holder (shown once).</summary>
    public static async Task<string> IssueAsync(IGrainFactory grains, CredentialRole role, string boardId, string? schoolId, string label)
    {
        ArgumentNullException.ThrowIfNull(grains);
        // "k" first: a key of hex digits only would be stored by Orleans' ADO.NET storage as a number (see Ids).
        var keyId = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var grant = new CredentialGrant(keyId, role, boardId, schoolId, label);
        await grains.GetGrain<ICredentialGrain>(keyId).IssueAsync(grant, SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        return $"{Prefix}.{keyId}.{secret}";
    }

    /// <summary>Splits a token into key id and secret; false for anything not of that shape.</summary>
    public static bool TryParse(string? token, out string keyId, out string secret)
    {
        keyId = secret = "";
        var parts = token?.Split('.');
        if (parts is not [Prefix, { Length: 17 } id, { Length: > 0 and <= 64 } s] || id[0] != 'k' || !id[1..].All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        keyId = id;
        secret = s;
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
