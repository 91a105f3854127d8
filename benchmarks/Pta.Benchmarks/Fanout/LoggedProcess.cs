using System.Diagnostics;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// A helper process of the fan-out benchmark (silo, gateway, sink, emulator) whose output goes to a log file in
/// the work folder, so a full pipe never stalls it and a failure can quote its last lines. Disposing kills it.
/// </summary>
public sealed class LoggedProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();

    private LoggedProcess(string name, ProcessStartInfo start, string logPath, Action<string>? onLine)
    {
        Name = name;
        _log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(e.Data, onLine);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data, onLine);
        if (!_process.Start())
        {
            throw new InvalidOperationException($"{name} did not start.");
        }

        Id = _process.Id; // kept: the chaos run asks for it while another thread kills and disposes the process
        ProcessTracker.Track(_process);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/> with extra environment variables; <paramref name="onLine"/> sees each output line too.</summary>
    public static LoggedProcess Start(
        string name, string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string logPath, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new LoggedProcess(name, start, logPath, onLine);
    }

    /// <summary>The last output lines, for an error message.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Waits a bounded time for the process to end (after a signal); false if it still runs.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Waits until the process has ended by itself.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the process to end (SIGTERM) and waits a bounded time; it is killed if it lingers.</summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Terminate(_process.Id);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            PostfixTools.Stop(_process);
        }
    }

    public void Dispose()
    {
        PostfixTools.Stop(_process);
        ProcessTracker.Forget(_process);
        _process.Dispose();
        lock (_tail)
        {
            _log.Dispose();
        }
    }

    private void Collect(string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > 20)
            {
                _tail.Dequeue();
            }
        }

        onLine?.Invoke(line);
    }
}
