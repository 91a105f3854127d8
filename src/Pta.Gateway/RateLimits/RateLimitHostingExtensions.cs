using Microsoft.AspNetCore.RateLimiting;

namespace Pta.Gateway.RateLimits;

/// <summary>Composition of the public endpoints' rate limits: options, the limiter, ASP.NET Core's middleware.</summary>
public static class RateLimitHostingExtensions
{
    public static IServiceCollection AddPublicRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<PublicRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter.HttpLimiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (rejected, _) => new ValueTask(RateLimitRejection.WriteAsync(rejected.HttpContext, rejected.Lease));
        });
        return services;
    }
}
