using Pta.Grains.Abstractions;

namespace Pta.Grains.Telemetry;

/// <summary>
/// Holds each silo's last reports (<see cref="IClusterRatesGrain"/>). A rate is the difference of the newest and the
/// oldest report within <see cref="Window"/>, divided by the time between them as this grain received them (one clock,
/// whatever the silos' clocks say). A silo whose totals went down restarted: its window starts again.
/// </summary>
public sealed class ClusterRatesGrain(TimeProvider time) : Grain, IClusterRatesGrain
{
    /// <summary>How far back a rate looks: a few reports, so one late report does not make a silo look idle.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>A silo not heard from for this long has stopped (or left) and drops out of the view.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Queue<(DateTimeOffset At, IReadOnlyList<CarrierTotals> Totals)>> _reports = new(StringComparer.Ordinal);

    public Task ReportAsync(string silo, IReadOnlyList<CarrierTotals> totals)
    {
        ArgumentException.ThrowIfNullOrEmpty(silo);
        ArgumentNullException.ThrowIfNull(totals);
        var now = time.GetUtcNow();
        if (!_reports.TryGetValue(silo, out var reports))
        {
            _reports[silo] = reports = new();
        }
        else if (reports.Count > 0 && SentOf(totals) < SentOf(reports.Last().Totals))
        {
            reports.Clear(); // restarted under the same name: its counters began again at 0
        }

        reports.Enqueue((now, totals));
        while (reports.Count > 2 && now - reports.Peek().At > Window)
        {
            reports.Dequeue();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiloSendRate>> GetAsync()
    {
        var now = time.GetUtcNow();
        foreach (var stale in _reports.Where(r => now - r.Value.Last().At > StaleAfter).Select(r => r.Key).ToList())
        {
            _reports.Remove(stale);
        }

        IReadOnlyList<SiloSendRate> view = [.. _reports
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new SiloSendRate(r.Key, r.Value.Last().At, r.Value.Last().Totals, Rate(r.Value)))];
        return Task.FromResult(view);
    }

    private static double Rate(Queue<(DateTimeOffset At, IReadOnlyList<CarrierTotals> Totals)> reports)
    {
        var (firstAt, first) = reports.Peek();
        var (lastAt, last) = reports.Last();
        var seconds = (lastAt - firstAt).TotalSeconds;
        return seconds <= 0 ? 0 : Math.Round((SentOf(last) - SentOf(first)) / seconds, 1);
    }

    private static long SentOf(IReadOnlyList<CarrierTotals> totals) => totals.Sum(t => t.Sent);
}
