using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Pta.Benchmarks.Fanout;

/// <summary>Signals in and out of a benchmark run.</summary>
internal static class Signals
{
    /// <summary>
    /// Cancels <paramref name="stop"/> on SIGINT, SIGTERM or SIGHUP instead of letting the process die, so the run
    /// unwinds through its finally blocks, which stop the helpers it started. Dispose the result to stop listening.
    /// </summary>
    public static IDisposable CancelOnTermination(CancellationTokenSource stop)
    {
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        return new Registrations([
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel),
        ]);
    }

    /// <summary>SIGTERM for a child: .NET's Process.Kill only sends SIGKILL, which gives smtp-sink and the emulator no chance to flush.</summary>
    public static void Terminate(int pid) => Send("-TERM", pid);

    /// <summary>SIGKILL for a child, exactly <c>kill -9</c>: the chaos run's silo crash.</summary>
    public static void KillHard(int pid) => Send("-KILL", pid);

    /// <summary>SIGINT for a child: wrk ends its run early on it and still prints its results.</summary>
    public static void Interrupt(int pid) => Send("-INT", pid);

    private static void Send(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit(5000);
    }

    private sealed class Registrations(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
