using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Pta.Benchmarks.Fanout;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Persistence;
using Pta.Grains.Reports;

namespace Pta.Benchmarks.Reports;

/// <summary>
/// benchmarks/report.sh: what the report grain does for a city-wide broadcast, against a real PostgreSQL. Writes a
/// synthetic broadcast's audience and ledger through the production stores, then, per run, reads them back the way
/// the grain does and builds the report and every school's phone-call list. Rosters and confirmations are in memory
/// here (the grain fetches rosters from the school grains; confirmations come from the registered store).
/// Prints, last: <c>REPORT recipients=… households=… schools=… read_audience_ms=… read_ledger_ms=… build_ms=… …</c>
/// </summary>
public static class ReportCommand
{
    private const string Usage = "usage: report --postgres CONNECTION_STRING [--recipients N=1000000] [--runs R=2]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null;
        int recipients = 1_000_000, runs = 2;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--recipients": recipients = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        if (postgres is null || recipients < 1 || runs < 1)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        await DatabaseSchema.EnsureCreatedAsync(postgres);
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        // A throwaway key: the report reads back what it wrote, sealed as production seals it.
        using var protector = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = RandomNumberGenerator.GetBytes(32) }, 1);
        var audienceStore = new PostgresAudienceStore(dataSource, protector);
        var ledger = new PostgresDeliveryLedger(dataSource);
        var confirmations = new InMemoryConfirmationStore();
        const string broadcastId = "bc-000000000000000000000001";

        var city = ReportCity.Build(recipients);
        var watch = Stopwatch.StartNew();
        await audienceStore.SaveAsync(broadcastId, city.Audience, CancellationToken.None);
        var saveAudience = watch.Elapsed;
        watch.Restart();
        var rows = 0;
        foreach (var batch in city.Outcomes(broadcastId, 10_000))
        {
            await ledger.RecordAsync(batch, CancellationToken.None);
            rows += batch.Count;
        }

        var saveLedger = watch.Elapsed;
        await city.ConfirmAsync(confirmations, broadcastId);
        var rosters = city.Rosters();
        var plan = new AudiencePlanView([.. city.Shards], Audience.WholeSchool);
        Console.Error.WriteLine(FormattableString.Invariant(
            $"report: setup audience={city.Recipients} in {saveAudience.TotalSeconds:F1} s, ledger rows={rows} in {saveLedger.TotalSeconds:F1} s"));
        var size = (Recipients: city.Recipients, city.Households, city.Schools);
        city.Audience.Clear(); // from here on, only what the reads return is in memory
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"REPORT run={run} recipients={size.Recipients} households={size.Households} schools={size.Schools} " +
                await MeasureAsync(broadcastId, plan, rosters, audienceStore, ledger, confirmations));
        }

        return 0;
    }

    /// <summary>One report, as the grain computes it; its own method so that nothing of it outlives the measurement.</summary>
    private static async Task<string> MeasureAsync(
        string broadcastId, AudiencePlanView plan, IReadOnlyList<ReportSchool> rosters, IAudienceStore audienceStore, IDeliveryLedger ledger, IConfirmationStore confirmations)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var audience = await audienceStore.LoadAllAsync(broadcastId, CancellationToken.None);
        var readAudience = watch.Elapsed;
        watch.Restart();
        var outcomes = await ledger.ReadAsync(broadcastId, CancellationToken.None);
        var readLedger = watch.Elapsed;
        watch.Restart();
        var confirmed = await confirmations.ReadAsync(broadcastId, CancellationToken.None);
        var readConfirmations = watch.Elapsed;
        var inputsHeld = GC.GetTotalMemory(forceFullCollection: false) - before;
        watch.Restart();
        ReportSnapshot? snapshot = ReportSnapshot.Build(new ReportInputs(
            broadcastId, BroadcastStatus.Completed, false, plan, audience, rosters, outcomes, confirmed, DateTimeOffset.UtcNow));
        var build = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        audience = null;
        outcomes = null;
        confirmed = null;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        var lines = rosters.Sum(s => snapshot.UnconfirmedOf(s.SchoolId).Count);
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot.Whole, JsonSerializerOptions.Web).Length;
        var (totals, classes) = (snapshot.Whole.Totals, snapshot.Whole.Schools.Sum(s => s.Classes.Count));
        snapshot = null;
        retained -= GC.GetTotalMemory(forceFullCollection: true) - before; // what the snapshot alone holds
        var total = readAudience + readLedger + readConfirmations + build;
        return FormattableString.Invariant(
            $"classes={classes} read_audience_ms={readAudience.TotalMilliseconds:F0} read_ledger_ms={readLedger.TotalMilliseconds:F0} ") +
            FormattableString.Invariant(
                $"read_confirmations_ms={readConfirmations.TotalMilliseconds:F0} build_ms={build.TotalMilliseconds:F0} total_ms={total.TotalMilliseconds:F0} ") +
            FormattableString.Invariant(
                $"inputs_mb={inputsHeld / 1048576.0:F0} allocated_mb={allocated / 1048576.0:F0} snapshot_mb={retained / 1048576.0:F0} unconfirmed_lines={lines} ") +
            FormattableString.Invariant(
                $"report_json_kb={json / 1024.0:F0} confirmed_pct={totals.ConfirmedPercent:F1} peak_rss_mb={ProcStats.PeakRssMb(Environment.ProcessId):F0}");
    }
}
