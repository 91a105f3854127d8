using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Pta.Gateway.RateLimits;

/// <summary>Endpoint metadata: this route is anonymous and counted as <see cref="Endpoint"/>.</summary>
public sealed record PublicRateLimit(PublicEndpoint Endpoint);

/// <summary>Marks anonymous routes for <see cref="PublicRateLimiter"/>; routes without the mark are never limited.</summary>
public static class PublicRateLimitExtensions
{
    /// <summary>Counts the route (or group) in <paramref name="endpoint"/>'s limits and says so in the OpenAPI document.</summary>
    public static TBuilder RateLimitedAs<TBuilder>(this TBuilder builder, PublicEndpoint endpoint)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(
            new PublicRateLimit(endpoint),
            new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), ["application/problem+json"]));
}
