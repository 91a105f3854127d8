using System.ComponentModel.DataAnnotations;
using Pta.Grains.RateLimits;

namespace Pta.Gateway.RateLimits;

/// <summary>
/// Read-confirmation links: per client address, and per broadcast — the tenant of a link. The broadcast id is inside
/// the signed token, which the click checks anyway; a broadcast belongs to exactly one school or board, whose own id
/// is not in the token (reading it would cost a grain call per click). A forged or malformed token names no broadcast
/// and counts against its address only.
/// </summary>
public sealed class ConfirmationLimits : AddressLimits
{
    public ConfirmationLimits()
    {
    }

    public ConfirmationLimits(int perAddress, int perBroadcast, TimeSpan window) : base(perAddress, window) =>
        PerBroadcast = new(perBroadcast, window);

    /// <summary>Clicks on the links of one broadcast, from any address.</summary>
    public WindowLimit PerBroadcast { get; set; } = new();

    public override IEnumerable<ValidationResult> Validate(string path) =>
        base.Validate(path).Concat(PerBroadcast.Validate($"{path}:{nameof(PerBroadcast)}"));
}
