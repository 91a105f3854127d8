using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout.sh --recipients N --silos K</c>: one city-wide emergency into a dumping smtp-sink, then, in the same
/// run, the loopback ceiling for N messages of the same size. Prints last
/// <c>FANOUT recipients=N silos=K seconds=S limit_seconds=L ratio=S/L first_ms=F p50_ms=A p99_ms=B lost=X duplicates=D rss_mb=M</c>.
/// </summary>
public static class UnlimitedFanout
{
    /// <summary>Sessions of the ceiling's smtp-source, as benchmarks/smtp-limit.sh uses by default.</summary>
    public const int CeilingSessions = 16;

    /// <summary>The rendered sample broadcast's size, used only if the sink recorded no SIZE= (it always should).</summary>
    private const int FallbackMessageSize = 3291;

    public static async Task<int> RunAsync(FanoutSettings settings, Stopwatch run, CancellationToken cancellationToken)
    {
        bool completed;
        double rssMb;
        SinkDump dump;
        IReadOnlyList<SubmittedBroadcast> broadcasts;
        Task<SiloJoin>? join = null;
        using (var stage = await FanoutStage.StartAsync(settings, cancellationToken))
        {
            broadcasts = await CityBroadcasts.SendCityWideAsync(stage, "emergency", cancellationToken);
            if (settings.JoinAfterSeconds > 0)
            {
                join = SiloJoin.AfterAsync(stage, settings.JoinAfterSeconds, cancellationToken);
            }

            completed = await CityBroadcasts.WaitForCompletionAsync(stage, broadcasts, FanoutCommand.WaitBudget(settings, run), cancellationToken);
            if (join is not null)
            {
                await (await join).FinishAsync(stage, cancellationToken);
            }

            stage.StopCluster();
            rssMb = stage.Cluster.LargestPeakRssMb;
            dump = stage.TakeSinkDump(keepEveryRecord: join is not null);
        }

        if (join is not null)
        {
            (await join).Report(dump);
        }

        var times = DeliveryTimes.Of(dump.ByMessageId.Select(a => (a.Key, a.Value.First, a.Value.Count)), broadcasts);
        var size = dump.MessageSize > 0 ? dump.MessageSize : FallbackMessageSize;
        var ceiling = await MeasureCeilingAsync(settings, size, run, cancellationToken);
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"sink: {dump.Records} records, {dump.ByMessageId.Count} distinct Message-IDs, {dump.RecordsWithoutId} without one; message size {size} bytes"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FANOUT recipients={settings.Recipients} silos={settings.Silos} seconds={times.LastSeconds:F2} limit_seconds={ceiling.TotalSeconds:F2} " +
            $"ratio={times.LastSeconds / ceiling.TotalSeconds:F2} first_ms={times.FirstMs:F0} p50_ms={times.PercentileMs(50):F0} " +
            $"p99_ms={times.PercentileMs(99):F0} lost={times.Lost} duplicates={times.Duplicates} rss_mb={rssMb:F0}"));
        return completed && times.Lost == 0 ? 0 : 1;
    }

    /// <summary>
    /// smtp-source → plain smtp-sink, N messages of the engine's size over 16 sessions (the ceiling, as smtp-limit.sh
    /// measures it), then the same into a dumping sink like the one the fan-out used, to show what dumping costs.
    /// </summary>
    private static async Task<TimeSpan> MeasureCeilingAsync(FanoutSettings settings, int size, Stopwatch run, CancellationToken cancellationToken)
    {
        var remaining = TimeSpan.FromSeconds(settings.EffectiveTimeoutSeconds) - run.Elapsed;
        var plain = await LoopbackCeiling.MeasureAsync(settings.Recipients, CeilingSessions, size, dumpDirectory: null, remaining, cancellationToken);
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"ceiling: smtp-source -> smtp-sink, {settings.Recipients} x {size} bytes, {CeilingSessions} sessions: {plain.TotalSeconds:F2} s ({settings.Recipients / plain.TotalSeconds:F0}/s)"));

        var dumps = Path.Combine(settings.Dumps, "ceiling");
        remaining = TimeSpan.FromSeconds(settings.EffectiveTimeoutSeconds) - run.Elapsed;
        var dumping = await LoopbackCeiling.MeasureAsync(settings.Recipients, CeilingSessions, size, dumps, remaining, cancellationToken);
        Directory.Delete(dumps, recursive: true);
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"ceiling with a dumping sink (as the fan-out used): {dumping.TotalSeconds:F2} s ({settings.Recipients / dumping.TotalSeconds:F0}/s), {dumping / plain:F2}x the plain sink"));
        return plain;
    }
}
