namespace Pta.Grains.Abstractions;

/// <summary>
/// One silo's share of the cluster's sending as the rate grain last heard it: running totals per carrier and the
/// send rate over the grain's window.
/// </summary>
/// <param name="Silo">The silo's name (as the membership table lists it).</param>
/// <param name="ReportedAt">When the grain last heard from it.</param>
/// <param name="Carriers">Its totals per carrier since it started.</param>
/// <param name="SentPerSecond">Messages accepted per second over the last window (about 10 s); 0 with a single report.</param>
[GenerateSerializer, Immutable, Alias("pta.silo-send-rate")]
public sealed record SiloSendRate(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset ReportedAt,
    [property: Id(2)] IReadOnlyList<CarrierTotals> Carriers,
    [property: Id(3)] double SentPerSecond)
{
    /// <summary>Messages accepted since the silo started, all carriers.</summary>
    public long Sent => Carriers.Sum(c => c.Sent);
}
