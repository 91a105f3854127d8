using System.Diagnostics;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout …</c>: the end-to-end fan-out benchmark of issue 4, run by benchmarks/fanout.sh after it has started
/// PostgreSQL and built the silo and the gateway. Every helper process is killed when the run ends, fails, hits its
/// timeout or gets SIGINT/SIGTERM/SIGHUP. Exit code 0 when every recipient was accepted, 1 otherwise, 2 on bad arguments.
/// </summary>
public static class FanoutCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!FanoutSettings.TryParse(args, out var settings, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{FanoutSettings.Usage}");
            return 2;
        }

        var run = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(settings.EffectiveTimeoutSeconds));
        using var signals = Signals.CancelOnTermination(stop);
        try
        {
            return settings switch
            {
                { Priority: true } => await PriorityFanout.RunAsync(settings, run, stop.Token),
                { Confirm: true } => await Confirm.ConfirmBenchmark.RunAsync(settings, run, stop.Token),
                { Chaos: true } => await Chaos.ChaosRun.RunAsync(settings, run, stop.Token),
                { EmulatedCarriers: true } => await ShapedFanout.RunAsync(settings, run, stop.Token),
                _ => await UnlimitedFanout.RunAsync(settings, run, stop.Token),
            };
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException
                                       or IOException or HttpRequestException or System.ComponentModel.Win32Exception)
        {
            var reason = ex is OperationCanceledException ? $"stopped (signal or the {settings.EffectiveTimeoutSeconds} s limit)" : ex.ToString();
            await Console.Error.WriteLineAsync($"fanout failed after {run.Elapsed.TotalSeconds:F0} s: {reason}");
            return 1;
        }
        finally
        {
            ProcessTracker.StopAll();
        }
    }

    /// <summary>
    /// How long to wait for the broadcast: what is left of the timeout, less a reserve for reading the sink's
    /// records and measuring the ceiling afterwards (both grow with N), so a stuck run still reports what arrived.
    /// </summary>
    public static TimeSpan WaitBudget(FanoutSettings settings, Stopwatch run)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        var reserve = TimeSpan.FromSeconds(60 + (settings.Recipients / 2500.0));
        var left = TimeSpan.FromSeconds(settings.EffectiveTimeoutSeconds) - run.Elapsed - reserve;
        return left > TimeSpan.FromSeconds(30) ? left : TimeSpan.FromSeconds(30);
    }
}
