using System.Text;
using Pta.Testing;

namespace Pta.Cli.Tests;

/// <summary><c>pta report</c>: the report as a table, and the gateway's CSV export written to a file.</summary>
[Collection(CliCollection.Name)]
public sealed class ReportTests(CliFixture fixture)
{
    [Fact]
    public async Task The_report_of_a_completed_send_is_printed_and_exported_as_csv()
    {
        var tenant = await fixture.CreateTenantAsync(12);
        var sent = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", "下校時刻の変更", "--body", "本日は14時下校です。", "--category", "safety", "--require-confirmation", "--watch");
        Assert.True(sent.ExitCode == ExitCodes.Success, sent.ToString());
        var id = sent.OutLines[0];
        Assert.Contains($"{id} completed sent 12/12 deferred 0 bounced 0 confirmed 0/12", sent.Out, StringComparison.Ordinal); // households
        var csv = Path.Combine(TestEnvironment.ScratchDirectory, $"report-{Guid.NewGuid():N}.csv");

        // The gateway's report is a snapshot recomputed at most every 10 s: the one the watch's stream started may say "sending".
        CliResult table = null!;
        await Eventually.TrueAsync(async () =>
        {
            table = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "report", id);
            var completed = table.Out.Contains($"{id} completed", StringComparison.Ordinal);
            if (!completed)
            {
                Assert.Contains("run pta report again", table.Error, StringComparison.Ordinal); // the stale snapshot says so
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            return completed;
        }, "the report shows the send completed", TimeSpan.FromSeconds(30));
        var export = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "report", id, "--csv", csv);

        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        // households, addresses, delivered, deferred, bounced, pending: all 12 delivered.
        Assert.Matches(@"total\s+12\s+12\s+12\s+0\s+0\s+0\s", table.Out);
        Assert.Contains($"({tenant.First.SchoolId})", table.Out, StringComparison.Ordinal);
        Assert.True(export.ExitCode == ExitCodes.Success, export.ToString());
        Assert.Contains(csv, export.Error, StringComparison.Ordinal);
        var bytes = await File.ReadAllBytesAsync(csv);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // UTF-8 with BOM, as the console's download (Excel)
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(tenant.First.SchoolId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_schools_principal_cannot_export_the_report()
    {
        var tenant = await fixture.CreateTenantAsync(6);
        var sent = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", "お知らせ", "--body", "本文", "--category", "info", "--send-at", DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        Assert.True(sent.ExitCode == ExitCodes.Success, sent.ToString());

        var run = await CliRun.AsAsync(fixture, tenant.SecondPrincipalToken, "report", sent.OutLines[0], "--csv", "never-written.csv");

        Assert.True(run.ExitCode == ExitCodes.ApiProblem, run.ToString());
        Assert.Contains("error 404", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists("never-written.csv"));
    }
}
