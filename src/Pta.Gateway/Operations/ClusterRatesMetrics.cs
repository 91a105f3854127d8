using System.Diagnostics.Metrics;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Operations;

/// <summary>
/// Every silo's share of the sending, as per-silo series on the gateway's <c>/metrics</c> (meter
/// <see cref="MeterName"/>): running totals per silo and carrier, and each silo's send rate, read from the cluster's
/// rate grain once per scrape (<see cref="RefreshAsync"/>) so one scrape of the gateway shows the whole cluster. A
/// grain that does not answer leaves the last view in place: a scrape never fails for it.
/// </summary>
public sealed class ClusterRatesMetrics
{
    public const string MeterName = "Pta.Cluster";

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    private readonly IGrainFactory _grains;
    private volatile IReadOnlyList<SiloSendRate> _latest = [];

    public ClusterRatesMetrics(IMeterFactory meterFactory, IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _grains = grains;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("pta.silo.messages.sent", () => PerCarrier(c => c.Sent), "{message}", "Messages accepted by SMTP, per silo and carrier");
        meter.CreateObservableCounter("pta.silo.messages.deferred", () => PerCarrier(c => c.Deferred), "{message}", "Send attempts deferred, per silo and carrier");
        meter.CreateObservableCounter("pta.silo.messages.bounced", () => PerCarrier(c => c.Bounced), "{message}", "Messages refused as unknown user, per silo and carrier");
        meter.CreateObservableCounter("pta.silo.messages.failed", () => PerCarrier(c => c.Failed), "{message}", "Messages failed for good, per silo and carrier");
        meter.CreateObservableGauge("pta.silo.send.rate", () => _latest.Select(s => new Measurement<double>(s.SentPerSecond, Silo(s))),
            "{message}/s", "Messages accepted per second over the last ~10 s, per silo");
        meter.CreateObservableGauge("pta.cluster.silos.reporting", () => _latest.Count, "{silo}", "Silos that reported send totals within the last 30 s");
    }

    /// <summary>The latest view (for the cluster API as well).</summary>
    public IReadOnlyList<SiloSendRate> Latest => _latest;

    /// <summary>Reads the rate grain; keeps the previous view when it does not answer in time.</summary>
    public async Task<IReadOnlyList<SiloSendRate>> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            _latest = await _grains.GetGrain<IClusterRatesGrain>(0).GetAsync().WaitAsync(Budget, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // The grain's silo is going away; the next scrape asks its new activation.
        }

        return _latest;
    }

    private IEnumerable<Measurement<long>> PerCarrier(Func<CarrierTotals, long> value) =>
        _latest.SelectMany(s => s.Carriers.Select(c =>
            new Measurement<long>(value(c), Silo(s), new KeyValuePair<string, object?>("carrier", CarrierNames.KeyOf(c.Carrier)))));

    private static KeyValuePair<string, object?> Silo(SiloSendRate rate) => new("silo", rate.Silo);
}
