using System.Globalization;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Confirm;

/// <summary>
/// Debian's wrk (<c>/usr/bin/wrk</c>) with <c>walk-links.lua</c>, which clicks every link of a file once. wrk runs for a
/// fixed duration unless interrupted, so the run is interrupted (SIGINT; wrk still prints its results) as soon as every
/// thread has reported its links answered, and wrk's own duration is then the time the clicks took.
/// </summary>
public static class WrkRun
{
    public const string Wrk = "/usr/bin/wrk";

    /// <summary>Runs wrk against <paramref name="gateway"/>; <paramref name="onLinksDone"/> runs once every link is answered.</summary>
    public static async Task<WrkResult> RunAsync(
        FanoutSettings settings, Uri gateway, string linksFile, int links, Action<int> onStarted, Action onLinksDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(gateway);
        if (links < settings.WrkThreads)
        {
            throw new InvalidOperationException($"{links} links for {settings.WrkThreads} wrk threads: each thread needs one at least");
        }

        var script = Path.Combine(settings.Repo, "benchmarks/Pta.Benchmarks/Confirm/walk-links.lua");
        var threadsDone = 0;
        string? resultLine = null;
        LoggedProcess? wrk = null;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string line)
        {
            if (line.StartsWith("links-done", StringComparison.Ordinal) && Interlocked.Increment(ref threadsDone) == settings.WrkThreads)
            {
                allDone.TrySetResult();
            }
            else if (line.StartsWith("WRK ", StringComparison.Ordinal))
            {
                resultLine = line;
            }
        }

        // A duration far beyond what the clicks need: the run ends by SIGINT once they are all answered.
        var budget = TimeSpan.FromSeconds(120 + (links / 500));
        wrk = LoggedProcess.Start("wrk", Wrk,
            ["-t", Number(settings.WrkThreads), "-c", Number(settings.WrkConnections), "-d", $"{(int)budget.TotalSeconds + 60}s",
             "--timeout", "10s", "-s", script, gateway.ToString().TrimEnd('/')],
            settings.Work,
            new Dictionary<string, string> { ["CONFIRM_LINKS"] = linksFile, ["CONFIRM_THREADS"] = Number(settings.WrkThreads) },
            Path.Combine(settings.Work, "wrk.log"), OnLine);
        try
        {
            onStarted(wrk.Id);
            var finished = await Task.WhenAny(allDone.Task, Task.Delay(budget, cancellationToken));
            if (finished == allDone.Task)
            {
                onLinksDone();
            }
            else
            {
                FanoutStage.Log($"wrk: not every link was answered within {budget.TotalSeconds:F0} s; stopping it");
            }

            Signals.Interrupt(wrk.Id);
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(TimeSpan.FromSeconds(30));
            await wrk.WaitForExitAsync(grace.Token);
            return WrkResult.Parse(resultLine) ?? throw new InvalidOperationException($"wrk printed no result line: {wrk.Tail()}");
        }
        finally
        {
            wrk.Dispose();
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
