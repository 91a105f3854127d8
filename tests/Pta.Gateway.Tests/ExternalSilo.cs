using System.Diagnostics;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// A separate Pta.Silo process, configured only through environment variables as an operator would
/// start one, joining the gateway's cluster through the PostgreSQL membership table.
/// </summary>
public sealed class ExternalSilo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private ExternalSilo(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the silo printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ExternalSilo Start(IReadOnlyDictionary<string, string> settings, string workingDirectory) =>
        Start("Pta.Silo", settings, workingDirectory);

    /// <summary>
    /// A separate Pta.Gateway process (with its co-hosted silo, as production runs it) serving HTTP on
    /// <c>Urls</c> from <paramref name="settings"/>: a gateway a test can kill with SIGKILL.
    /// </summary>
    public static ExternalSilo StartGateway(IReadOnlyDictionary<string, string> settings, string workingDirectory) =>
        Start("Pta.Gateway", settings, workingDirectory);

    private static ExternalSilo Start(string project, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        var siloDll = AssemblyPath(project);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(siloDll);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new ExternalSilo(Process.Start(start) ?? throw new InvalidOperationException("The silo process did not start."));
    }

    /// <summary>
    /// The silo's own build output (same configuration as the tests). Not the copy beside the tests: that folder
    /// resolves ASP.NET Core from the shared framework, which the silo's runtime configuration does not load.
    /// </summary>
    internal static string AssemblyPath(string project)
    {
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(baseDirectory); // .../bin/<configuration>/<framework>
        var configuration = Path.GetFileName(Path.GetDirectoryName(baseDirectory))!;
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", project, "bin", configuration, framework, project + ".dll");
            if (File.Exists(Path.Combine(dir.FullName, "Pta.Orleans.sln")))
            {
                return File.Exists(candidate) ? candidate : throw new FileNotFoundException($"Build the solution first: {project} is not built.", candidate);
            }
        }

        throw new DirectoryNotFoundException("Pta.Orleans.sln not found above " + AppContext.BaseDirectory);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.WriteLine(line);
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an OOM kill would: no goodbye to the cluster.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first: the silo leaves the cluster cleanly, so the other silo does not log a dead peer.
        await ProcessShutdown.TerminateAsync(_process, TimeSpan.FromSeconds(15));
        _process.Dispose();
        _output.Dispose();
    }
}
