using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// A silo added to the running benchmark cluster exactly as docs/operations.md tells an operator to add one during a
/// disaster: <c>src/Pta.Silo/deploy/pta-silo.sh start N</c> with the cluster's environment file. Used by
/// <c>fanout.sh --join-after S</c> to show that a silo added mid-send takes a share of it.
/// </summary>
public sealed class RunbookSilo
{
    private readonly FanoutSettings _settings;
    private readonly string _runDirectory;
    private readonly Dictionary<string, string> _environment;

    private RunbookSilo(FanoutSettings settings, int number, string runDirectory, Dictionary<string, string> environment)
    {
        _settings = settings;
        Number = number;
        _runDirectory = runDirectory;
        _environment = environment;
    }

    /// <summary>Its number on this machine (N of <c>pta-silo.sh start N</c>) and its EHLO name, <c>silo-N</c>, as the sink records it.</summary>
    public int Number { get; }

    public string Helo => string.Create(CultureInfo.InvariantCulture, $"silo-{Number}");

    /// <summary>Writes the cluster's environment file, runs the runbook's start command and returns once it reports the silo Active.</summary>
    public static async Task<RunbookSilo> AddAsync(FanoutSettings settings, BenchCluster cluster, int number, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        var runDirectory = Path.Combine(settings.Work, "ops");
        Directory.CreateDirectory(runDirectory);
        var envFile = Path.Combine(runDirectory, "cluster.env");
        await File.WriteAllLinesAsync(envFile, cluster.SharedSiloEnvironment.Select(kv => $"{kv.Key}={kv.Value}"), cancellationToken);
        var environment = new Dictionary<string, string>
        {
            ["PTA_ENV_FILE"] = envFile,
            ["PTA_RUN_DIR"] = runDirectory,
            ["PTA_SILO_DLL"] = Path.Combine(settings.Repo, "src/Pta.Silo/bin/Release/net10.0/Pta.Silo.dll"),
            ["PTA_SILO_PORT_BASE"] = (PostfixTools.FreeLoopbackPort() - number).ToString(CultureInfo.InvariantCulture),
            ["PTA_GATEWAY_PORT_BASE"] = (PostfixTools.FreeLoopbackPort() - number).ToString(CultureInfo.InvariantCulture),
            ["Pta__Smtp__HeloName"] = string.Create(CultureInfo.InvariantCulture, $"silo-{number}"), // tells its sends apart at the sink
        };
        var silo = new RunbookSilo(settings, number, runDirectory, environment);
        await silo.RunAsync("start", cancellationToken);

        // The script starts the silo in its own session; the tracker still stops it however this run ends.
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(runDirectory, $"silo-{number}.pid"), cancellationToken), CultureInfo.InvariantCulture);
        ProcessTracker.Track(Process.GetProcessById(pid));
        return silo;
    }

    /// <summary>The runbook's remove command: a graceful stop.</summary>
    public Task RemoveAsync(CancellationToken cancellationToken) => RunAsync("stop", cancellationToken);

    private async Task RunAsync(string verb, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(_settings.Repo, "src/Pta.Silo/deploy/pta-silo.sh"));
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(Number.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output + await errors).Trim();
        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"runbook: pta-silo.sh {verb} {Number} -> exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:F1} s: {text.Replace('\n', ' ')}"));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pta-silo.sh {verb} {Number} failed: {text} (log in {_runDirectory})");
        }
    }
}
