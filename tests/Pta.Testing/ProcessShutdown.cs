using System.Diagnostics;
using System.Globalization;

namespace Pta.Testing;

/// <summary>Stops a server process the way an operator would: SIGTERM, then SIGKILL to the whole tree after a grace period.</summary>
public static class ProcessShutdown
{
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
