using System.ComponentModel.DataAnnotations;
using Pta.Grains.RateLimits;

namespace Pta.Gateway.RateLimits;

/// <summary>An endpoint family limited per client address only: nothing in its URL names a tenant without a grain call.</summary>
public class AddressLimits
{
    public AddressLimits()
    {
    }

    public AddressLimits(int permitLimit, TimeSpan window) => PerAddress = new(permitLimit, window);

    /// <summary>Requests from one client address (IPv4 address, or IPv6 prefix of <see cref="RateLimitOptions.Ipv6PrefixLength"/> bits).</summary>
    public WindowLimit PerAddress { get; set; } = new();

    public virtual IEnumerable<ValidationResult> Validate(string path) => PerAddress.Validate($"{path}:{nameof(PerAddress)}");
}
