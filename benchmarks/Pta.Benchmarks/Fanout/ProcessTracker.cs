using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// The backstop for "kill what we started": every helper process is registered here and killed when this
/// process exits by any way that still runs managed code (normal end, unhandled exception, SIGTERM/SIGINT).
/// </summary>
public static class ProcessTracker
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static int _hooked;

    public static void Track(Process process)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => StopAll();
        }

        Running[process.Id] = process;
    }

    public static void Forget(Process process)
    {
        try
        {
            Running.TryRemove(process.Id, out _);
        }
        catch (InvalidOperationException)
        {
            // Never started: it was never tracked.
        }
    }

    public static void StopAll()
    {
        foreach (var process in Running.Values)
        {
            PostfixTools.Stop(process);
        }

        Running.Clear();
    }
}
