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
public static class ConfirmBenchmark
{
    public static async Task<int> RunAsync(FanoutSettings settings, Stopwatch run, CancellationToken cancellationToken)
    {
        using var stage = await FanoutStage.StartAsync(settings, cancellationToken);
        var broadcast = (await CityBroadcasts.SendCityWideAsync(stage, "emergency", cancellationToken, requireConfirmation: true)).Single();
        var sent = await CityBroadcasts.WaitForCompletionAsync(stage, [broadcast], FanoutCommand.WaitBudget(settings, run), cancellationToken);

        // Every message is on disk once the broadcast has all its outcomes (the sink writes before it answers 250).
        var watch = Stopwatch.StartNew();
        var links = LinkHarvest.Read(stage.SinkDumps, broadcast.Id);
        Directory.Delete(stage.SinkDumps, recursive: true);
        FanoutStage.Log($"links: {links.Count} distinct from the sink's mail of {broadcast.Id} ({broadcast.Recipients} recipients) in {watch.Elapsed.TotalSeconds:F1} s");
        var linksFile = Path.Combine(settings.Work, "links.txt");
        await File.WriteAllLinesAsync(linksFile, links.Values.Order(StringComparer.Ordinal), cancellationToken);

        var before = await CountConfirmationsAsync(settings, broadcast.Id, cancellationToken);
        int? wrkPid = null;
        stage.Cpu.Add("wrk", () => wrkPid is { } pid ? [pid] : []);
        var start = stage.Cpu.Take();
        var end = start;
        var wrk = await WrkRun.RunAsync(settings, stage.Cluster.BaseAddress, linksFile, links.Count,
            pid => wrkPid = pid, () => end = stage.Cpu.Take(), cancellationToken);
        FanoutStage.Log($"clicks phase cpu: {CpuMeter.Describe(start, end)}; gateway peak rss {stage.Cluster.GatewayPeakRssMb:F0} MB");
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"wrk: {wrk.Links} links, {wrk.Answered} answered ({wrk.NotOk} not 200), {wrk.Fillers} fillers, {wrk.Requests} requests, " +
            $"{wrk.DurationUs / 1e6:F2} s, p50 {wrk.P50Us / 1e3:F1} ms, p90 {wrk.P90Us / 1e3:F1} ms, p99 {wrk.P99Us / 1e3:F1} ms, max {wrk.MaxUs / 1e3:F1} ms, {wrk.Errors} socket errors/timeouts"));

        var recorded = await CountConfirmationsAsync(settings, broadcast.Id, cancellationToken);
        var lost = wrk.Links - recorded;
        FanoutStage.Log($"confirmations in PostgreSQL: {before} before the clicks, {recorded} after");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CONFIRM requests={wrk.Answered} rps={wrk.LinksPerSecond:F0} p99_ms={wrk.P99Us / 1e3:F1} recorded={recorded} lost={lost}"));
        return sent && links.Count == broadcast.Recipients && wrk.Answered == links.Count && wrk.NotOk == 0 && lost == 0 ? 0 : 1;
    }

    private static async Task<long> CountConfirmationsAsync(FanoutSettings settings, string broadcastId, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(settings.PostgresConnectionString);
        await using var command = database.CreateCommand("SELECT count(*) FROM pta_confirmation WHERE broadcast_id = $1");
        command.Parameters.AddWithValue(broadcastId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
