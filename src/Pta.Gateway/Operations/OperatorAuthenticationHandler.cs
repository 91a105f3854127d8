using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Operations;

/// <summary>
/// Authenticates who may read operations data: the operator token (<see cref="OperatorOptions"/>) or a board
/// administrator's API credential, each as <c>Bearer</c> or as the password of HTTP Basic (the user name is ignored).
/// Basic, because a browser asks for it by itself: the dashboard's pages cannot add a bearer header. The claim
/// <see cref="AccessClaim"/> says which: <see cref="Operator"/> or <see cref="BoardAdministrator"/>.
/// </summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<OperatorOptions> operatorOptions,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Operator";
    public const string AccessClaim = "pta:operations";
    public const string Operator = "operator";
    public const string BoardAdministrator = "board";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedSecret(Request.Headers.Authorization.ToString()) is not { } secret)
        {
            return AuthenticateResult.NoResult();
        }

        if (operatorOptions.CurrentValue.Token is { Length: > 0 } token && SameSecret(secret, token))
        {
            return Success([new Claim(ClaimTypes.Name, Operator), new Claim(AccessClaim, Operator)]);
        }

        if (ApiCredentials.TryParse(secret, out var keyId, out var apiSecret)
            && await grains.GetGrain<ICredentialGrain>(keyId).VerifyAsync(apiSecret) is { Role: CredentialRole.Board } grant)
        {
            return Success([.. CallerGrant.ToClaims(grant), new Claim(AccessClaim, BoardAdministrator)]);
        }

        return AuthenticateResult.Fail("Neither the operator credential nor a board administrator's credential.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"pta-operations\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>The token of <c>Bearer x</c>, or the password of <c>Basic base64(user:password)</c>; null otherwise.</summary>
    internal static string? PresentedSecret(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header["Basic ".Length..].Trim(), decoded, out var length))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(decoded[..length]);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon < pair.Length - 1 ? pair[(colon + 1)..] : null;
    }

    /// <summary>Compares hashes in constant time, so neither the length nor a common prefix of the token leaks through timing.</summary>
    private static bool SameSecret(string presented, string configured) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
}
