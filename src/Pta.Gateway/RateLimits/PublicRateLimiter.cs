using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Pta.Grains.RateLimits;
using Pta.Grains.Registration;

namespace Pta.Gateway.RateLimits;

/// <summary>
/// Hot path (every guardian click): the limits of the anonymous endpoints, built from .NET's partitioned rate limiters.
/// A request of a marked route (<see cref="PublicRateLimit"/>) takes a permit from its client address's fixed window,
/// then, where the URL names one without a grain call, from its link holder's (the broadcast of a confirmation link,
/// the guardian of a self-service link). Everything else — staff routes above all — meets a no-op partition, so a
/// flood of guardian URLs never delays an emergency send.
/// </summary>
/// <remarks>
/// Two ways in: <see cref="HttpLimiter"/> is the rate-limiting middleware's global limiter; the confirmation link is
/// short-circuited past all middleware and asks <see cref="AttemptAcquire"/> itself, after checking its token, so the
/// broadcast costs no second HMAC. The address partition key is a number, so the address costs no string per request.
/// </remarks>
public sealed class PublicRateLimiter : IDisposable
{
    private readonly RateLimitOptions _limits;
    private readonly LinkSigner _links;
    private readonly PartitionedRateLimiter<PublicRequest> _perAddress;
    private readonly PartitionedRateLimiter<PublicRequest> _perHolder;
    private readonly PartitionedRateLimiter<PublicRequest> _both;

    public PublicRateLimiter(IOptions<RateLimitOptions> options, LinkSigner links)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limits = options.Value;
        _links = links;
        _perAddress = PartitionedRateLimiter.Create<PublicRequest, (PublicEndpoint, UInt128)>(request =>
            request.Endpoint == PublicEndpoint.None
                ? RateLimitPartition.GetNoLimiter((PublicEndpoint.None, UInt128.Zero))
                : RateLimitPartition.GetFixedWindowLimiter((request.Endpoint, request.Address),
                    key => _limits.For(key.Item1).PerAddress.ToLimiterOptions()));
        _perHolder = PartitionedRateLimiter.Create<PublicRequest, (PublicEndpoint, string)>(request =>
            request.Holder is { } holder && HolderLimit(request.Endpoint) is { } limit
                ? RateLimitPartition.GetFixedWindowLimiter((request.Endpoint, holder), _ => limit.ToLimiterOptions())
                : RateLimitPartition.GetNoLimiter((PublicEndpoint.None, string.Empty)));
        _both = PartitionedRateLimiter.CreateChained(_perAddress, _perHolder);
        HttpLimiter = _both.WithTranslatedKey<HttpContext>(RequestOf, leaveOpen: true);
    }

    /// <summary>The middleware's global limiter: limits the routes marked <see cref="PublicRateLimit"/>, lets all others pass.</summary>
    public PartitionedRateLimiter<HttpContext> HttpLimiter { get; }

    /// <summary>A permit for a request that the middleware does not see (a short-circuited route); dispose the lease.</summary>
    /// <param name="endpoint">The family the request counts in.</param>
    /// <param name="context">The request; its connection gives the client address.</param>
    /// <param name="holder">The verified holder of the link (e.g. the broadcast of a valid token), or null.</param>
    public RateLimitLease AttemptAcquire(PublicEndpoint endpoint, HttpContext context, string? holder)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _both.AttemptAcquire(new PublicRequest(endpoint, AddressOf(context), holder));
    }

    public void Dispose()
    {
        HttpLimiter.Dispose();
        _both.Dispose();
        _perHolder.Dispose();
        _perAddress.Dispose();
    }

    private PublicRequest RequestOf(HttpContext context)
    {
        var endpoint = context.GetEndpoint()?.Metadata.GetMetadata<PublicRateLimit>()?.Endpoint ?? PublicEndpoint.None;
        return endpoint switch
        {
            // Counted by its handler, which knows the broadcast; counting here too would take two permits a click.
            PublicEndpoint.None or PublicEndpoint.Confirmation => default,
            PublicEndpoint.SelfService => new(endpoint, AddressOf(context), _links.GuardianOf(context.Request.RouteValues["token"] as string)),
            _ => new(endpoint, AddressOf(context), null),
        };
    }

    private UInt128 AddressOf(HttpContext context) => ClientAddress.Key(context.Connection.RemoteIpAddress, _limits.Ipv6PrefixLength);

    private WindowLimit? HolderLimit(PublicEndpoint endpoint) => endpoint switch
    {
        PublicEndpoint.Confirmation => _limits.Confirmation.PerBroadcast,
        PublicEndpoint.SelfService => _limits.SelfService.PerGuardian,
        _ => null,
    };

    /// <summary>What a request is counted by: its endpoint family, client address and, if verified, link holder.</summary>
    private readonly record struct PublicRequest(PublicEndpoint Endpoint, UInt128 Address, string? Holder);
}
