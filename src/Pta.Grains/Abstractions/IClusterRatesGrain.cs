namespace Pta.Grains.Abstractions;

/// <summary>
/// Every silo's send totals in one place (one activation, key 0), so one read by the gateway shows each silo's share:
/// each silo reports its running totals every couple of seconds; the grain keeps a short window of reports per silo to
/// compute a rate, and forgets a silo that stopped reporting. Kept in memory only: a new activation is full again
/// within one report period.
/// </summary>
public interface IClusterRatesGrain : IGrainWithIntegerKey
{
    /// <summary>A silo's running totals since it started.</summary>
    Task ReportAsync(string silo, IReadOnlyList<CarrierTotals> totals);

    /// <summary>Each silo still reporting, by name, with its totals and recent send rate.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<SiloSendRate>> GetAsync();
}
