using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>Sends the benchmark's broadcasts through the REST API and waits, with a progress line, until they are done.</summary>
public static class CityBroadcasts
{
    /// <summary>
    /// One city-wide broadcast through the board route, naming the synthetic city's schools: the demo board also
    /// holds the seeder's three small demo schools (360 addresses), which are not part of the measured N.
    /// A gateway without that route (before issue 4) gets one broadcast per school instead, and the log says so.
    /// With <paramref name="requireConfirmation"/> every mail carries a personal read-confirmation link (benchmarks/confirm.sh).
    /// </summary>
    public static async Task<IReadOnlyList<SubmittedBroadcast>> SendCityWideAsync(
        FanoutStage stage, string category, CancellationToken cancellationToken, bool requireConfirmation = false)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (await stage.Api.HasBoardBroadcastsAsync(cancellationToken))
        {
            var schoolIds = Enumerable.Range(0, stage.Settings.Schools).Select(SyntheticCity.SchoolId).ToArray();
            var cityWide = new { subject = SampleBroadcast.Content.Subject, body = SampleBroadcast.Content.Body, category, schoolIds, requireConfirmation };
            var sent = await stage.Api.SubmitAsync($"api/v1/boards/{GatewayApi.Board}/broadcasts", cityWide, cancellationToken);
            FanoutStage.Log(Describe(sent, "board"));
            return [sent];
        }

        FanoutStage.Log($"the gateway has no board broadcast route: sending one broadcast per school ({stage.Settings.Schools})");
        var all = new List<SubmittedBroadcast>();
        for (var i = 0; i < stage.Settings.Schools; i++)
        {
            all.Add(await SendToSchoolAsync(stage, SyntheticCity.SchoolId(i), category, cancellationToken));
        }

        return all;
    }

    public static async Task<SubmittedBroadcast> SendToSchoolAsync(FanoutStage stage, string schoolId, string category, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var body = new { subject = SampleBroadcast.Content.Subject, body = SampleBroadcast.Content.Body, category };
        var sent = await stage.Api.SubmitAsync($"api/v1/schools/{schoolId}/broadcasts", body, cancellationToken);
        FanoutStage.Log(Describe(sent, schoolId));
        return sent;
    }

    /// <summary>
    /// Polls until every broadcast is completed or <paramref name="limit"/> has passed (then false); logs progress and
    /// the CPU split every 10 s, and the whole phase's split at the end. With <paramref name="tolerateErrors"/> (the
    /// chaos run, whose silos die under the gateway) a failed poll is logged and the next one tried.
    /// </summary>
    public static async Task<bool> WaitForCompletionAsync(
        FanoutStage stage, IReadOnlyList<SubmittedBroadcast> broadcasts, TimeSpan limit, CancellationToken cancellationToken,
        bool tolerateErrors = false)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(broadcasts);
        var phaseStart = stage.Cpu.Take();
        var lastLog = phaseStart;
        var deadline = DateTimeOffset.UtcNow + limit;
        var pending = broadcasts.Select(b => b.Id).ToHashSet();
        var progress = new Dictionary<string, BroadcastProgress>();
        var failedPolls = 0;
        while (pending.Count > 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            foreach (var id in pending.ToList())
            {
                BroadcastProgress now;
                try
                {
                    now = await stage.Api.GetAsync(id, cancellationToken);
                }
                catch (Exception ex) when (tolerateErrors && ex is InvalidOperationException or HttpRequestException or TaskCanceledException
                                               && !cancellationToken.IsCancellationRequested)
                {
                    if (failedPolls++ == 0)
                    {
                        var first = ex.Message.Split('\n')[0];
                        FanoutStage.Log($"progress poll failed ({ex.GetType().Name}: {first[..Math.Min(120, first.Length)]}); trying again");
                    }

                    continue;
                }

                if (failedPolls > 0)
                {
                    FanoutStage.Log($"progress poll answers again after {failedPolls} failed poll(s)");
                    failedPolls = 0;
                }

                progress[id] = now;
                if (now.IsComplete)
                {
                    pending.Remove(id);
                }
            }

            stage.Cluster.SamplePeakRss();
            if ((DateTimeOffset.UtcNow - lastLog.At).TotalSeconds >= 10 || pending.Count == 0)
            {
                var snapshot = stage.Cpu.Take();
                FanoutStage.Log($"progress: {Totals(progress.Values)}, {pending.Count} broadcast(s) open; cpu {CpuMeter.Describe(lastLog, snapshot)}");
                lastLog = snapshot;
            }
        }

        FanoutStage.Log($"fan-out phase cpu: {CpuMeter.Describe(phaseStart, stage.Cpu.Take())}; silo peak rss {stage.Cluster.LargestPeakRssMb:F0} MB, gateway {stage.Cluster.GatewayPeakRssMb:F0} MB");
        if (pending.Count > 0)
        {
            FanoutStage.Log($"gave up waiting after {limit.TotalSeconds:F0} s: {pending.Count} broadcast(s) not completed");
        }

        return pending.Count == 0;
    }

    private static string Totals(IEnumerable<BroadcastProgress> all)
    {
        var list = all.ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"recipients={list.Sum(p => p.Recipients)} sent={list.Sum(p => p.Sent)} deferred={list.Sum(p => p.Deferred)} failed={list.Sum(p => p.Failed)}");
    }

    private static string Describe(SubmittedBroadcast sent, string target) => string.Create(CultureInfo.InvariantCulture,
        $"202 for {sent.Id} ({target}, {sent.Recipients} recipients) after {sent.SubmitTime.TotalMilliseconds:F0} ms");
}
