using Microsoft.Extensions.Options;
using Pta.Grains.Confirmation;
using Pta.Grains.Registration;

namespace Pta.Grains.Tests;

/// <summary>Confirmation link signers as a silo or gateway builds them, on a chosen key and clock.</summary>
internal static class TestConfirmationLinks
{
    public const string BaseUrl = "https://pta.city.example.jp";

    public static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static (ConfirmationLinks Links, LinkSigner Signer) Create(string key, TimeProvider time, TimeSpan? lifetime = null)
    {
        var options = Options.Create(new GuardianLinkOptions
        {
            SigningKey = key,
            PublicBaseUrl = BaseUrl,
            ConfirmationLinkLifetime = lifetime ?? TimeSpan.FromDays(30),
        });
        var signer = new LinkSigner(options, time);
        return (new ConfirmationLinks(signer, options, time), signer);
    }
}
