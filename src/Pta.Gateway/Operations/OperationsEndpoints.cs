using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Metadata;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Operations;

/// <summary>
/// Composition of what operators watch: <c>/metrics</c> (Prometheus), <c>/health/live</c> and <c>/health/ready</c>,
/// and the Orleans Dashboard when enabled. docs/operations.md "Metrics" lists every series.
/// </summary>
public static class OperationsEndpoints
{
    public const string MetricsPath = "/metrics";

    /// <summary>ASP.NET Core's request meter: route templates, methods and status codes (never a path's ids).</summary>
    private const string AspNetCoreMeter = "Microsoft.AspNetCore.Hosting";

    public static WebApplicationBuilder AddGatewayOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOperationsAuthorization();
        builder.Services.AddSingleton<ClusterRatesMetrics>();
        builder.Services.AddPtaHealthChecks(builder.Configuration);
        builder.Services.ExportHostMeters(ClusterRatesMetrics.MeterName, AspNetCoreMeter);
        builder.AddPtaTelemetry(m => m
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // a scrape reads the rate grain afresh
        return builder;
    }

    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var rates = app.Services.GetRequiredService<ClusterRatesMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(async (context, next) =>
                {
                    // Instruments are observed synchronously during the export: read the rate grain first.
                    await rates.RefreshAsync(context.RequestAborted);
                    await next(context);
                }),
                optionsName: null)
            .RequireAuthorization(OperationsAuthorization.MetricsPolicy)
            .WithMetadata(new ExcludeFromDescriptionAttribute());

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthChecks.ReadyTag) }).AllowAnonymous();

        var dashboard = app.Configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new();
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard(dashboard.Path).RequireAuthorization(OperationsAuthorization.OperatorPolicy);
        }

        return app;
    }
}
