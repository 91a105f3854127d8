using System.Threading.RateLimiting;
using Pta.Gateway.Apis;

namespace Pta.Gateway.RateLimits;

/// <summary>The answer to a request over a limit: 429, <c>Retry-After</c> and a problem body, from either way in.</summary>
public static class RateLimitRejection
{
    public static Task WriteAsync(HttpContext context, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lease);

        // A fixed window names its length; whole seconds, at least one, so a client never retries at once.
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        return Problems.TooManyRequests(context, seconds).ExecuteAsync(context);
    }
}
