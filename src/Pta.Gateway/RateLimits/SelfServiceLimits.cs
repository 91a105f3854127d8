using System.ComponentModel.DataAnnotations;
using Pta.Grains.RateLimits;

namespace Pta.Gateway.RateLimits;

/// <summary>
/// Guardian self-service: per client address, and per guardian, the holder of the signed link (a guardian may belong
/// to several schools, and which ones is in the guardian grain, not in the link). A link that does not verify names
/// no guardian and counts against its address only.
/// </summary>
public sealed class SelfServiceLimits : AddressLimits
{
    public SelfServiceLimits()
    {
    }

    public SelfServiceLimits(int perAddress, int perGuardian, TimeSpan window) : base(perAddress, window) =>
        PerGuardian = new(perGuardian, window);

    /// <summary>Requests through the links of one guardian, from any address.</summary>
    public WindowLimit PerGuardian { get; set; } = new();

    public override IEnumerable<ValidationResult> Validate(string path) =>
        base.Validate(path).Concat(PerGuardian.Validate($"{path}:{nameof(PerGuardian)}"));
}
