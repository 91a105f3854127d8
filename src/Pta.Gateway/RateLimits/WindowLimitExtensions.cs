using System.Threading.RateLimiting;
using Pta.Grains.RateLimits;

namespace Pta.Gateway.RateLimits;

/// <summary>A configured <see cref="WindowLimit"/> as the options of one of .NET's fixed-window limiters.</summary>
public static class WindowLimitExtensions
{
    /// <summary>No queue (a queued flood is still a flood); replenished by the partitioned limiter's own timer.</summary>
    public static FixedWindowRateLimiterOptions ToLimiterOptions(this WindowLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
