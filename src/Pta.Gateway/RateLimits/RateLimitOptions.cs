using System.ComponentModel.DataAnnotations;

namespace Pta.Gateway.RateLimits;

/// <summary>
/// Limits of the anonymous endpoints guardians reach from their mails (section <c>Pta:RateLimits</c>); staff routes are
/// never limited. Each gateway process counts on its own, in memory. The defaults leave a real school, and a city-wide
/// alert, far below them (docs/operations.md); a flood meets them within a second.
/// </summary>
/// <remarks>
/// Client addresses are the connection's: behind a reverse proxy, enable forwarded headers so that the address is the
/// guardian's, not the proxy's. Japanese carriers put many phones behind one IPv4 address (carrier-grade NAT), hence
/// per-address limits of hundreds per minute; an IPv6 client is counted by its /64, which one host can fill at will.
/// </remarks>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "Pta:RateLimits";

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>IPv6 clients sharing this many leading bits count as one address.</summary>
    [Range(32, 128)]
    public int Ipv6PrefixLength { get; set; } = 64;

    /// <summary>The registration page and API: a registration is a page, a GET and one or two POSTs.</summary>
    public AddressLimits Registration { get; set; } = new(300, Minute);

    /// <summary>The self-service page and API: a visit is a page, a GET and a few changes.</summary>
    public SelfServiceLimits SelfService { get; set; } = new(perAddress: 300, perGuardian: 60, Minute);

    /// <summary>
    /// Read-confirmation links: one click per household, but 100,000 households of a city-wide alert within minutes,
    /// many behind a few carrier addresses.
    /// </summary>
    public ConfirmationLimits Confirmation { get; set; } = new(perAddress: 600, perBroadcast: 60_000, Minute);

    /// <summary>Attachment downloads: the same link in every mail of a broadcast, opened like a confirmation link.</summary>
    public AddressLimits Files { get; set; } = new(600, Minute);

    /// <summary>The limits of an endpoint family.</summary>
    public AddressLimits For(PublicEndpoint endpoint) => endpoint switch
    {
        PublicEndpoint.Registration => Registration,
        PublicEndpoint.SelfService => SelfService,
        PublicEndpoint.Confirmation => Confirmation,
        PublicEndpoint.Files => Files,
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "not a limited endpoint family"),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Registration.Validate($"{Section}:{nameof(Registration)}")
            .Concat(SelfService.Validate($"{Section}:{nameof(SelfService)}"))
            .Concat(Confirmation.Validate($"{Section}:{nameof(Confirmation)}"))
            .Concat(Files.Validate($"{Section}:{nameof(Files)}"));
}
