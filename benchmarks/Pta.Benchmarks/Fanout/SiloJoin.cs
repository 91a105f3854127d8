using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout.sh --join-after S</c>: S seconds after the 202 a silo is added with the runbook's command, and afterwards
/// each silo's share of the messages the sink accepted once the new silo was active is reported (from the EHLO name
/// each silo sends with), so an operator sees that adding a silo during a disaster spreads the work.
/// </summary>
public sealed record SiloJoin(RunbookSilo Silo, DateTime AddedAt, DateTime ActiveAt)
{
    public static async Task<SiloJoin> AfterAsync(FanoutStage stage, int seconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        var addedAt = DateTime.UtcNow;
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture, $"join: {seconds} s after the 202, adding a silo with the runbook's command"));
        var silo = await RunbookSilo.AddAsync(stage.Settings, stage.Cluster, stage.Settings.Silos, cancellationToken);
        return new SiloJoin(silo, addedAt, DateTime.UtcNow);
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
    }
}
