using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Access;

/// <summary>Authenticates <c>Authorization: Bearer pta.…</c> against the credential grain.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ApiCredentials.TryParse(header["Bearer ".Length..].Trim(), out var keyId, out var secret))
        {
            return AuthenticateResult.Fail("The credential is not a Pta API credential.");
        }

        var grant = await grains.GetGrain<ICredentialGrain>(keyId).VerifyAsync(secret);
        if (grant is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked credential.");
        }

        var identity = new ClaimsIdentity(CallerGrant.ToClaims(grant), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"pta\"";
        return base.HandleChallengeAsync(properties);
    }
}
