using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.RateLimits;

/// <summary>
/// One limit of <c>Pta:RateLimits</c>: at most <see cref="PermitLimit"/> requests in each <see cref="Window"/>, counted
/// per partition (an address, a school, a link holder). A fixed window, not a sliding one: it is the cheapest
/// (one counter under one lock), its reset is what <c>Retry-After</c> can name, and a flood gains at most one extra
/// window's worth at a window's edge, which the limits below leave room for.
/// </summary>
public sealed class WindowLimit
{
    public WindowLimit()
    {
    }

    public WindowLimit(int permitLimit, TimeSpan window)
    {
        PermitLimit = permitLimit;
        Window = window;
    }

    /// <summary>Requests allowed per window; more are refused, none are queued (a queued flood is still a flood).</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window, from the partition's first request; e.g. <c>00:01:00</c>.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>What is wrong with this limit, named by its configuration path; nothing when it is usable.</summary>
    public IEnumerable<ValidationResult> Validate(string path)
    {
        if (PermitLimit < 1)
        {
            yield return new ValidationResult($"{path}:PermitLimit must be at least 1.", [path]);
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"{path}:Window must be between 00:00:01 and 1.00:00:00.", [path]);
        }
    }
}
