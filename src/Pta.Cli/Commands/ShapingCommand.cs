using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Pta.Cli.Commands;

/// <summary>
/// <c>pta shaping</c>: per carrier the configured cluster-wide rate, the back-off factor after deferrals, the rate in
/// use and any pause after a burst of unknown users: what to look at first when a carrier starts deferring.
/// </summary>
internal static class ShapingCommand
{
    public static Command Create(CommandRunner runner)
    {
        var reader = new ClusterReader();
        var command = new Command("shaping", "Per-carrier shaping: configured rate, back-off factor, effective rate, pause") { reader.Board };
        runner.Register(command, async (parse, client, cancellationToken) =>
        {
            var cluster = await reader.ReadAsync(parse, client, cancellationToken);
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("carrier");
            table.AddColumn(new TableColumn("configured /s").RightAligned());
            table.AddColumn(new TableColumn("back-off factor").RightAligned());
            table.AddColumn(new TableColumn("effective /s").RightAligned());
            table.AddColumn("paused until (UTC)");
            table.AddColumn(new TableColumn("recent unknown users").RightAligned());
            foreach (var carrier in cluster.Carriers)
            {
                var factor = carrier.RateFactor.ToString("0.00", CultureInfo.InvariantCulture);
                table.AddRow(
                    Markup.Escape(carrier.Carrier),
                    Rate(carrier.ConfiguredPerSecond),
                    carrier.RateFactor < 1 ? $"[yellow]{factor}[/]" : factor,
                    Rate(carrier.EffectivePerSecond),
                    carrier.PausedUntil is { } until ? $"[red]{until.UtcDateTime:HH:mm:ss}[/]" : "-",
                    carrier.RecentUnknownUsers.ToString(CultureInfo.InvariantCulture));
            }

            runner.Host.Out.WriteLine(cluster.ShapingEnabled
                ? "Shaping is on: rates are cluster-wide, shared equally by the active silos."
                : "Shaping is off: no carrier is rate-limited (Pta:Shaping:Enabled).");
            runner.Host.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Rate(double? perSecond) =>
        perSecond?.ToString("0.#", CultureInfo.InvariantCulture) ?? "unlimited";
}
