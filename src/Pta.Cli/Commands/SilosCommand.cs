using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Pta.Cli.Commands;

/// <summary>
/// <c>pta silos</c>: the active silos, oldest first, with CPU and activations, so an operator who added a silo during
/// a disaster sees it join and take work.
/// </summary>
internal static class SilosCommand
{
    public static Command Create(CommandRunner runner)
    {
        var reader = new ClusterReader();
        var command = new Command("silos", "List the cluster's active silos (name, address, host, started, CPU, activations, send rate, sent)") { reader.Board };
        runner.Register(command, async (parse, client, cancellationToken) =>
        {
            var cluster = await reader.ReadAsync(parse, client, cancellationToken);
            var table = new Table().Border(TableBorder.Simple);
            foreach (var column in new[] { "silo", "address", "host", "status", "started (UTC)", "cpu %", "activations", "overloaded", "sent/s", "sent" })
            {
                table.AddColumn(column);
            }

            foreach (var silo in cluster.Silos)
            {
                table.AddRow(
                    Markup.Escape(silo.Name),
                    Markup.Escape(silo.Address),
                    Markup.Escape(silo.Host),
                    Markup.Escape(silo.Status),
                    silo.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    silo.CpuPercent?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?",
                    silo.Activations?.ToString(CultureInfo.InvariantCulture) ?? "?",
                    silo.Overloaded switch { true => "[red]yes[/]", false => "no", null => "?" },
                    silo.SentPerSecond?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?", // "?" until the silo has reported (every 2 s)
                    silo.Sent?.ToString(CultureInfo.InvariantCulture) ?? "?");
            }

            runner.Host.Out.Write(table);
            runner.Host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cluster.Silos.Count} active silo(s) at {cluster.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
            return ExitCodes.Success;
        });
        return command;
    }
}
