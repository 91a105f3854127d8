using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout.sh --join-after S</c>: S seconds after the 202 a silo is added with the runbook's command, and afterwards
/// each silo's share of the messages the sink accepted once the new silo was active is reported (from the EHLO name
/// each silo sends with), so an operator sees that adding a silo during a disaster spreads the work.
/// </summary>
public sealed record SiloJoin(RunbookSilo Silo, DateTime AddedAt, DateTime ActiveAt, IReadOnlyDictionary<string, long> SentAtJoin)
{
    /// <summary>Silos report their totals to the cluster's rate grain every 2 s; a scrape this long after the end has them all.</summary>
    private static readonly TimeSpan LastReport = TimeSpan.FromSeconds(5);

    /// <summary>The gateway's per-silo totals once the broadcast completed, before the added silo is removed.</summary>
    public IReadOnlyDictionary<string, long> SentAtEnd { get; private set; } = new Dictionary<string, long>();

    public static async Task<SiloJoin> AfterAsync(FanoutStage stage, int seconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        var addedAt = DateTime.UtcNow;
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture, $"join: {seconds} s after the 202, adding a silo with the runbook's command"));
        var silo = await RunbookSilo.AddAsync(stage.Settings, stage.Cluster, stage.Settings.Silos, cancellationToken);
        var activeAt = DateTime.UtcNow;
        return new SiloJoin(silo, addedAt, activeAt, await SiloSentMetrics.ScrapeAsync(stage.Cluster.BaseAddress, cancellationToken));
    }

    /// <summary>After the send: waits for the silos' last reports, reads the gateway's metrics, then removes the added silo with the runbook's command.</summary>
    public async Task FinishAsync(FanoutStage stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        await Task.Delay(LastReport, cancellationToken);
        SentAtEnd = await SiloSentMetrics.ScrapeAsync(stage.Cluster.BaseAddress, cancellationToken);
        await Silo.RemoveAsync(cancellationToken);
    }

    /// <summary>Logs, per silo, the messages accepted after the new silo was active, and the new silo's first send.</summary>
    public void Report(SinkDump dump)
    {
        ArgumentNullException.ThrowIfNull(dump);
        var after = dump.EveryRecord.Where(r => r.At >= ActiveAt).ToList();
        var first = dump.EveryRecord.Where(r => r.Helo == Silo.Helo).Select(r => (DateTime?)r.At).Min();
        var shares = after.GroupBy(r => r.Helo).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}={g.Count()} ({100.0 * g.Count() / Math.Max(1, after.Count):F0}%)"));
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"JOIN silo={Silo.Helo} active_after_s={(ActiveAt - AddedAt).TotalSeconds:F1} first_send_after_active_s={((first ?? ActiveAt) - ActiveAt).TotalSeconds:F1} " +
            $"accepted_after_join={after.Count} shares: {string.Join(' ', shares)}"));

        // The same from the gateway's /metrics, as an operator sees it: what each silo sent between the two scrapes.
        var sinceJoin = SentAtEnd.Select(kv => (Silo: kv.Key, Sent: kv.Value - SentAtJoin.GetValueOrDefault(kv.Key))).ToList();
        var total = Math.Max(1, sinceJoin.Sum(s => s.Sent));
        var newcomers = SentAtEnd.Keys.Where(k => !SentAtJoin.ContainsKey(k) || SentAtJoin[k] == 0).ToList();
        var perSilo = string.Join(' ', sinceJoin.OrderBy(s => s.Silo, StringComparer.Ordinal)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Silo}={s.Sent} ({100.0 * s.Sent / total:F0}%)")));
        FanoutStage.Log($"JOIN metrics: pta_silo_messages_sent_total since the join, per silo: {perSilo}; " +
                        $"new in the metrics since the join: {(newcomers.Count == 0 ? "none" : string.Join(' ', newcomers))}");
    }
}
