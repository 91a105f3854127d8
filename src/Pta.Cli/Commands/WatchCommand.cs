using System.CommandLine;
using Pta.Cli.Api;
using Pta.Cli.Output;
using Spectre.Console;

namespace Pta.Cli.Commands;

/// <summary>
/// <c>pta watch &lt;broadcastId&gt;</c>: the broadcast's progress per school and per carrier, pushed by the gateway,
/// until it is over. Exit 0 when it completed, <see cref="ExitCodes.BroadcastNotCompleted"/> when it was cancelled or
/// rejected, so a script can wait on it. Live bars on a terminal, plain lines otherwise.
/// </summary>
internal static class WatchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var broadcastId = new Argument<string>("broadcastId") { Description = "The broadcast's id (bc-…), as pta send prints it" };
        var command = new Command("watch", "Live progress per school and carrier until the broadcast finishes (exit 0 completed, 3 cancelled or rejected)")
        {
            broadcastId,
        };
        runner.Register(command, (parse, client, cancellationToken) => WatchAsync(runner, parse, client, parse.GetValue(broadcastId)!, cancellationToken));
        return command;
    }

    public static async Task<int> WatchAsync(CommandRunner runner, ParseResult parse, GatewayClient client, string broadcastId, CancellationToken cancellationToken)
    {
        var session = await client.GetJsonAsync<Session>("/api/v1/session", cancellationToken);
        var names = session.Schools.ToDictionary(s => s.SchoolId, s => s.Name, StringComparer.Ordinal);
        LiveProgress? last = null;
        var waiting = new WaitingHint(runner.Host.Error);
        if (runner.Live(parse))
        {
            await runner.Host.Out.Live(new Markup(Markup.Escape($"Connecting to {client.BaseAddress} …")))
                .AutoClear(false)
                .StartAsync(async live =>
                {
                    await foreach (var progress in BroadcastEventStream.ReadAsync(client, broadcastId, cancellationToken))
                    {
                        live.UpdateTarget(ProgressView.Render(progress, names));
                        live.Refresh();
                        last = progress;
                    }
                });
        }
        else
        {
            var writer = new PlainProgressWriter(runner.Host.Out, TimeProvider.System);
            await foreach (var progress in BroadcastEventStream.ReadAsync(client, broadcastId, cancellationToken))
            {
                writer.Write(progress);
                waiting.Show(progress);
                last = progress;
            }

            if (last is not null)
            {
                writer.WriteBreakdown(last, names);
            }
        }

        return Outcome(runner.Host.Error, last!);
    }

    private static int Outcome(IAnsiConsole error, LiveProgress last)
    {
        var c = last.Counts;
        if (last.Status == BroadcastStatuses.Completed)
        {
            error.MarkupLineInterpolated($"[green]{last.BroadcastId} completed:[/] {c.Sent} sent, {c.Deferred} deferred, {c.Failed} bounced of {c.Recipients}.");
            return ExitCodes.Success;
        }

        error.MarkupLineInterpolated($"[red]{last.BroadcastId} {last.Status}:[/] {c.Sent} sent, {c.Deferred} deferred, {c.Failed} bounced of {c.Recipients}.");
        return ExitCodes.BroadcastNotCompleted;
    }
}
