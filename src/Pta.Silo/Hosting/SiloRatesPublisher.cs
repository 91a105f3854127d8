using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;
using Pta.Grains.Telemetry;

namespace Pta.Silo.Hosting;

/// <summary>
/// Tells the cluster's rate grain this silo's running send totals every <see cref="Period"/>, so the gateway shows
/// each silo's share (its <c>/metrics</c> and the console's cluster view). A failed report (the grain's silo just
/// died, this silo is starting or stopping) is skipped: the next one carries the same running totals.
/// </summary>
public sealed partial class SiloRatesPublisher(
    IGrainFactory grains, ILocalSiloDetails silo, PtaMetrics metrics, ILogger<SiloRatesPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // At once, then every period: a first report from before this silo's first send gives its first sends a rate.
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await grains.GetGrain<IClusterRatesGrain>(0).ReportAsync(silo.Name, metrics.Totals()).WaitAsync(Period * 5, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogReportFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Send totals not reported to the cluster's rate grain ({Kind}); the next report carries them")]
    private static partial void LogReportFailed(ILogger logger, string kind);
}
