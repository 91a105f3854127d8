using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pta.Benchmarks.Fanout;

/// <summary>Where Postfix's load tools are and how to start them; every process started here is killed by its caller.</summary>
public static class PostfixTools
{
    private static readonly string[] SearchPath = ["/usr/sbin", "/usr/local/sbin", "/usr/bin"];

    /// <summary>The full path of a Postfix tool, or a failure that says how to get it.</summary>
    public static string Find(string tool)
    {
        var pathDirectories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        foreach (var directory in pathDirectories.Concat(SearchPath))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"{tool} not found; install Postfix (benchmarks/smtp-limit.sh does: apt-get install -y postfix).", tool);
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="path"/> with its output collected (not echoed), so a full pipe never stalls it.</summary>
    public static Process Start(string path, IEnumerable<string> arguments, Action<string> onOutput)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(e.Data, onOutput);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, onOutput);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"{path} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kills a process this benchmark started, if it still runs, and waits a bounded time for it to go.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started or has already been reaped: nothing is left to kill.
        }
    }

    private static void Forward(string? line, Action<string> onOutput)
    {
        if (line is not null)
        {
            onOutput(line);
        }
    }
}
