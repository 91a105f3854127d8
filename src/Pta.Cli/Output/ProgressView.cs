using System.Globalization;
using Pta.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pta.Cli.Output;

/// <summary>
/// The live view of a broadcast: a status line with the confirmations, then one bar per school and per carrier with
/// its sent, deferred, bounced and recipient counts. Redrawn on every event the gateway pushes.
/// </summary>
internal static class ProgressView
{
    private const int BarWidth = 30;

    public static IRenderable Render(LiveProgress progress, IReadOnlyDictionary<string, string> schoolNames)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("");
        table.AddColumn("");
        table.AddColumn(new TableColumn("[green]sent[/]").RightAligned());
        table.AddColumn(new TableColumn("[yellow]deferred[/]").RightAligned());
        table.AddColumn(new TableColumn("[red]bounced[/]").RightAligned());
        table.AddColumn(new TableColumn("of").RightAligned());
        AddLine(table, "[bold]total[/]", progress.Counts);
        if (progress.Schools.Count > 0)
        {
            table.AddEmptyRow();
            foreach (var school in progress.Schools)
            {
                AddLine(table, Markup.Escape(schoolNames.GetValueOrDefault(school.SchoolId, school.SchoolId)), school.Counts);
            }
        }

        if (progress.Carriers.Count > 0)
        {
            table.AddEmptyRow();
            foreach (var carrier in progress.Carriers)
            {
                AddLine(table, Markup.Escape(carrier.Carrier), carrier.Counts);
            }
        }

        return new Rows(new Markup(Header(progress)), table);
    }

    /// <summary>"bc-… sending  62.5 %  confirmed 10/100 households (10.0 %)".</summary>
    public static string Header(LiveProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var colour = progress.Status switch
        {
            BroadcastStatuses.Completed => "green",
            BroadcastStatuses.Cancelled or BroadcastStatuses.Rejected => "red",
            _ => "blue",
        };
        var header = string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(progress.BroadcastId)}[/] [{colour}]{Markup.Escape(progress.Status)}[/]  {progress.AttemptedPercent:0.0} %");
        return progress.Confirmation is { } c
            ? header + string.Create(CultureInfo.InvariantCulture, $"  confirmed {c.ConfirmedHouseholds}/{c.Households} households ({c.ConfirmedPercent:0.0} %)")
            : header;
    }

    private static void AddLine(Table table, string name, Counts counts) =>
        table.AddRow(
            name,
            SegmentBar.Markup(counts, BarWidth),
            Number(counts.Sent),
            Number(counts.Deferred),
            Number(counts.Failed),
            Number(counts.Recipients));

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
