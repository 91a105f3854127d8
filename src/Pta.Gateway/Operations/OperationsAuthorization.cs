using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Operations;

/// <summary>
/// The two rules for operations endpoints. <see cref="OperatorPolicy"/> (the dashboard): the operator credential only,
/// because the dashboard shows every grain of every board, state included. <see cref="MetricsPolicy"/> (<c>/metrics</c>):
/// per <see cref="MetricsOptions.Access"/>, by default a scraper on the gateway's own host, or anyone with the operator
/// credential or a board administrator's (the series carry no tenant or guardian data, only carrier, category and silo).
/// Without a credential the answer is 401 with a Basic challenge; with one that does not qualify, 403.
/// </summary>
public static class OperationsAuthorization
{
    public const string OperatorPolicy = "pta-operator";
    public const string MetricsPolicy = "pta-metrics";

    public static IServiceCollection AddOperationsAuthorization(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section);
        services.AddSingleton<IAuthorizationHandler, MetricsAccessHandler>();
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p
                .AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
                .RequireClaim(OperatorAuthenticationHandler.AccessClaim, OperatorAuthenticationHandler.Operator))
            .AddPolicy(MetricsPolicy, p => p
                .AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
                .AddRequirements(new MetricsAccessRequirement()));
        return services;
    }

    /// <summary>Satisfied per <see cref="MetricsOptions.Access"/>.</summary>
    public sealed class MetricsAccessRequirement : IAuthorizationRequirement;

    private sealed class MetricsAccessHandler(IOptionsMonitor<MetricsOptions> options) : AuthorizationHandler<MetricsAccessRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsAccessRequirement requirement)
        {
            var access = options.CurrentValue.Access;
            var credential = context.User.HasClaim(c => c.Type == OperatorAuthenticationHandler.AccessClaim);
            var loopback = context.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer);
            if (access == MetricsAccess.Anonymous || credential || (access == MetricsAccess.LoopbackOrCredential && loopback))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
