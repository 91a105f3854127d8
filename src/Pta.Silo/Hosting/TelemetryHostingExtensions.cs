using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pta.Grains.Telemetry;

namespace Pta.Silo.Hosting;

/// <summary>
/// OpenTelemetry for silos and gateways: Pta's meter, Orleans' own and the runtime's, exported where configured
/// (a Prometheus scrape endpoint on the gateway, an optional listener on a standalone silo, OTLP when an endpoint is
/// set). Traces (a span per broadcast submission and shard run) go out only to OTLP; with none configured no listener
/// is attached and the spans cost nothing.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>Orleans' meter (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The runtime's built-in meter (GC, thread pool, CPU), cheap: it reads counters the runtime keeps anyway.</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>The name OpenTelemetry's <see cref="IMetricsListener"/> registers under (its WithMetrics does).</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    /// <summary>Registers the meters and, when <c>Pta:Metrics:OtlpEndpoint</c> is set, the OTLP exporters.</summary>
    public static IHostApplicationBuilder AddPtaTelemetry(this IHostApplicationBuilder builder, Action<MeterProviderBuilder>? configureMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        builder.Services.AddPtaMetrics();
        builder.Services.ExportHostMeters(PtaMetrics.MeterName);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("pta"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OrleansMeter, RuntimeMeter); // process-wide meters, one instance each, never disposed
                configureMetrics?.Invoke(metrics);
                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
                }
            });
        if (options.OtlpEndpoint is { } traces)
        {
            telemetry.WithTracing(t => t.AddSource(PtaActivities.SourceName).AddOtlpExporter(o => o.Endpoint = traces));
        }

        return builder;
    }

    /// <summary>
    /// Exports the meters of <paramref name="meterNames"/> that this host created through its own
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, and no other host's. <c>AddMeter</c> listens by name
    /// across the process: where several hosts share one (the test suites run gateways side by side), two hosts'
    /// instruments of the same name fed one metric stream, and when one host stopped, disposing its meter retired
    /// that stream in every other host's exporter too: its series vanished from their <c>/metrics</c> for good.
    /// </summary>
    public static IServiceCollection ExportHostMeters(this IServiceCollection services, params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        services.AddMetrics(metrics =>
        {
            foreach (var name in meterNames)
            {
                metrics.EnableMetrics(name, instrumentName: null, listenerName: OpenTelemetryListener, scopes: MeterScope.Local);
            }
        });
        return services;
    }

    /// <summary>The delivery counters the grains record on (also for test clusters that compose services by hand).</summary>
    public static IServiceCollection AddPtaMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PtaMetrics>();
        return services;
    }

    /// <summary>
    /// A standalone silo's Prometheus listener at <c>http://Pta:Metrics:ListenAddress:Port/metrics</c>, when a port is
    /// configured (off by default).
    /// </summary>
    public static IHostApplicationBuilder AddPtaMetricsListener(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        if (options.Port is < 1 or > 65535 || !System.Net.IPAddress.TryParse(options.ListenAddress, out _))
        {
            // Said at start-up in the setting's own words, not as a listener failing to bind later.
            throw new OptionsValidationException(MetricsOptions.Section, typeof(MetricsOptions),
                [$"{MetricsOptions.Section}:Port must be 1-65535 (was {options.Port}) and {MetricsOptions.Section}:ListenAddress an IP address (was '{options.ListenAddress}')."]);
        }

        if (options.Port is { } port)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(m =>
                m.AddPrometheusHttpListener(o =>
                {
                    o.Host = options.ListenAddress;
                    o.Port = port;
                }));
        }

        return builder;
    }
}
