using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Confirm;

/// <summary>
/// <c>benchmarks/confirm.sh</c> (issue 5): a city-wide emergency with read confirmation to N guardians (100,000 unless
/// --recipients says otherwise) through the fan-out benchmark's stage (PostgreSQL, synthetic city, dumping sink, a silo
/// and a client-only gateway); every link taken from the mail the sink accepted; every link clicked once with wrk
/// against the gateway on loopback; the confirmations then counted in PostgreSQL. Prints last
/// <c>CONFIRM requests=N rps=R p99_ms=P recorded=M lost=X</c>: N links clicked (each once; the few filler requests
/// of walk-links.lua are not counted), R = N / wrk's duration, P = wrk's 99th percentile latency, M = rows for the
/// broadcast in PostgreSQL afterwards, X = N − M.
/// </summary>
/// <remarks>
/// Unless --cold, a smaller confirming broadcast to the first N/20 guardians goes out first and its links are clicked
/// before the measured ones: a fresh gateway compiles its click path during its first second of clicks, which sets a
/// cold run's p99 (docs/benchmarks.md has both), and a gateway in service has served clicks before. Those clicks
/// confirm the other broadcast, so the measured broadcast's count is untouched.
/// </remarks>
public static class ConfirmBenchmark
{
    public static async Task<int> RunAsync(FanoutSettings settings, Stopwatch run, CancellationToken cancellationToken)
    {
        using var stage = await FanoutStage.StartAsync(settings, cancellationToken);
        var warmUp = settings.ColdStart ? null : await SendWarmUpAsync(stage, cancellationToken);
        var broadcast = (await CityBroadcasts.SendCityWideAsync(stage, "emergency", cancellationToken, requireConfirmation: true)).Single();
        var sent = await CityBroadcasts.WaitForCompletionAsync(stage, [broadcast, .. warmUp is null ? [] : new[] { warmUp }],
            FanoutCommand.WaitBudget(settings, run), cancellationToken);

        // Every message is on disk once its broadcast has all its outcomes (the sink writes before it answers 250).
        var watch = Stopwatch.StartNew();
        var links = LinkHarvest.Read(stage.SinkDumps, [broadcast.Id, .. warmUp is null ? [] : new[] { warmUp.Id }]);
        Directory.Delete(stage.SinkDumps, recursive: true);
        FanoutStage.Log($"links: {links[broadcast.Id].Count} distinct from the sink's mail of {broadcast.Id} ({broadcast.Recipients} recipients) in {watch.Elapsed.TotalSeconds:F1} s");
        if (warmUp is not null)
        {
            var warmed = await ClickAsync(stage, "warm-up", links[warmUp.Id], cancellationToken);
            FanoutStage.Log($"warm-up: {warmed.Answered} links of {warmUp.Id} ({warmUp.Recipients} recipients) in {warmed.DurationUs / 1e6:F2} s, p99 {warmed.P99Us / 1e3:F1} ms");
        }

        var before = await CountConfirmationsAsync(settings, broadcast.Id, cancellationToken);
        var wrk = await ClickAsync(stage, "links", links[broadcast.Id], cancellationToken);
        var recorded = await CountConfirmationsAsync(settings, broadcast.Id, cancellationToken);
        var lost = wrk.Links - recorded;
        FanoutStage.Log($"confirmations of {broadcast.Id} in PostgreSQL: {before} before the clicks, {recorded} after");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CONFIRM requests={wrk.Answered} rps={wrk.LinksPerSecond:F0} p99_ms={wrk.P99Us / 1e3:F1} recorded={recorded} lost={lost}"));
        return sent && links[broadcast.Id].Count == broadcast.Recipients && wrk.Answered == wrk.Links && wrk.NotOk == 0 && lost == 0 ? 0 : 1;
    }

    /// <summary>The warm-up broadcast: the same mail with confirmation to the first N/20 schools of the city.</summary>
    private static async Task<SubmittedBroadcast> SendWarmUpAsync(FanoutStage stage, CancellationToken cancellationToken)
    {
        var schoolIds = Enumerable.Range(0, Math.Max(1, stage.Settings.Schools / 20)).Select(SyntheticCity.SchoolId).ToArray();
        var body = new { subject = SampleBroadcast.Content.Subject, body = SampleBroadcast.Content.Body, category = "emergency", schoolIds, requireConfirmation = true };
        var sent = await stage.Api.SubmitAsync($"api/v1/boards/{GatewayApi.Board}/broadcasts", body, cancellationToken);
        FanoutStage.Log($"202 for the warm-up broadcast {sent.Id} ({schoolIds.Length} schools, {sent.Recipients} recipients)");
        return sent;
    }

    /// <summary>Clicks every link once with wrk; logs wrk's figures and where the CPU went meanwhile.</summary>
    private static async Task<WrkResult> ClickAsync(FanoutStage stage, string name, IReadOnlyList<string> links, CancellationToken cancellationToken)
    {
        var file = Path.Combine(stage.Settings.Work, $"{name}.txt");
        await File.WriteAllLinesAsync(file, links, cancellationToken);
        int? wrkPid = null;
        var meter = new CpuMeter();
        meter.Add("gateway", () => [stage.Cluster.GatewayProcessId]);
        meter.Add("silos", () => stage.Cluster.SiloProcessIds);
        meter.Add("postgres", () => stage.PostgresProcessIds());
        meter.Add("wrk", () => wrkPid is { } pid ? [pid] : []);
        var start = meter.Take();
        var end = start;
        var wrk = await WrkRun.RunAsync(stage.Settings, stage.Cluster.BaseAddress, file, links.Count, pid => wrkPid = pid, () => end = meter.Take(), cancellationToken);
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {wrk.Links} links, {wrk.Answered} answered ({wrk.NotOk} not 200), {wrk.Fillers} fillers, {wrk.Requests} requests, " +
            $"{wrk.DurationUs / 1e6:F2} s, p50 {wrk.P50Us / 1e3:F1} ms, p90 {wrk.P90Us / 1e3:F1} ms, p99 {wrk.P99Us / 1e3:F1} ms, " +
            $"max {wrk.MaxUs / 1e3:F1} ms, {wrk.Errors} socket errors/timeouts; cpu {CpuMeter.Describe(start, end)}"));
        return wrk;
    }

    private static async Task<long> CountConfirmationsAsync(FanoutSettings settings, string broadcastId, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(settings.PostgresConnectionString);
        await using var command = database.CreateCommand("SELECT count(*) FROM pta_confirmation WHERE broadcast_id = $1");
        command.Parameters.AddWithValue(broadcastId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
