using System.CommandLine;
using System.Globalization;
using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Commands;

/// <summary>
/// <c>pta report &lt;broadcastId&gt; [--csv file]</c>: the broadcast's report as a table (totals and one line per
/// school), or the gateway's CSV export written byte for byte to a file, as the
/// console's download gives it (UTF-8 with BOM, for Excel).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CommandRunner runner)
    {
        var broadcastId = new Argument<string>("broadcastId") { Description = "The broadcast's id (bc-…)" };
        var csv = new Option<string?>("--csv") { Description = "Write the report's CSV to this file" };
        var school = new Option<string?>("--school") { Description = "Only this school's lines (a board credential; a school's is narrowed anyway)" };
        var command = new Command("report", "Export a broadcast's report: a table, or the CSV with --csv") { broadcastId, csv, school };
        runner.Register(command, async (parse, client, cancellationToken) =>
        {
            var path = $"/api/v1/broadcasts/{Uri.EscapeDataString(parse.GetValue(broadcastId)!)}/report";
            var query = parse.GetValue(school) is { } only ? $"?schoolId={Uri.EscapeDataString(only)}" : "";
            return parse.GetValue(csv) is { } file
                ? await WriteCsvAsync(runner.Host, client, $"{path}.csv{query}", file, cancellationToken)
                : PrintTable(runner.Host, await client.GetJsonAsync<Report>(path + query, cancellationToken));
        });
        return command;
    }

    private static async Task<int> WriteCsvAsync(CliHost host, GatewayClient client, string path, string file, CancellationToken cancellationToken)
    {
        using var response = await client.OpenAsync(path, "text/csv", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            await File.WriteAllBytesAsync(file, bytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliFailure.Usage($"--csv {file}: cannot be written ({ex.Message}).");
        }

        host.Error.MarkupLineInterpolated($"Wrote {bytes.Length} bytes to [bold]{Path.GetFullPath(file)}[/].");
        return ExitCodes.Success;
    }

    private static int PrintTable(CliHost host, Report report)
    {
        var console = host.Out;
        console.MarkupLineInterpolated(
            $"[bold]{report.BroadcastId}[/] {report.Status}, report of {report.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("");
        foreach (var column in new[] { "households", "addresses", "delivered", "deferred", "bounced", "pending", "reached", "confirmed", "confirmed %" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        AddLine(table, "[bold]total[/]", report.Totals);
        foreach (var school in report.Schools)
        {
            AddLine(table, Markup.Escape($"{school.SchoolName} ({school.SchoolId})"), school.Counts);
        }

        console.Write(table);
        if (report.Status is not (BroadcastStatuses.Completed or BroadcastStatuses.Cancelled or BroadcastStatuses.Rejected))
        {
            host.Error.MarkupLineInterpolated(
                $"[grey]A snapshot taken while the broadcast was {report.Status}; the gateway recomputes it every 10 s or so: run pta report again for newer figures.[/]");
        }

        return ExitCodes.Success;
    }

    private static void AddLine(Table table, string name, ReportCounts c) =>
        table.AddRow(
            [name, .. new[] { c.Households, c.Addresses, c.Delivered, c.Deferred, c.Bounced, c.Pending, c.ReachedHouseholds, c.ConfirmedHouseholds }
                .Select(n => n.ToString(CultureInfo.InvariantCulture)),
             c.ConfirmedPercent.ToString("0.0", CultureInfo.InvariantCulture)]);
}
