using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>SIGTERM for a child: .NET's Process.Kill only sends SIGKILL, which gives smtp-sink and the emulator no chance to flush.</summary>
internal static class Signals
{
    public static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit(5000);
    }
}
