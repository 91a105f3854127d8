using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// Everything a fan-out scenario runs against: the relay (a dumping smtp-sink, or the carrier emulator), the
/// silos and the gateway, the loaded city, and a CPU meter over all of them and PostgreSQL. Disposing stops it all.
/// </summary>
public sealed class FanoutStage : IDisposable
{
    private FanoutStage(FanoutSettings settings)
    {
        Settings = settings;
        SinkDumps = Path.Combine(settings.Dumps, "fanout");
    }

    public FanoutSettings Settings { get; }

    /// <summary>Where the dumping sink writes one file per accepted message.</summary>
    public string SinkDumps { get; }

    public SmtpSinkProcess? Sink { get; private set; }

    public CarrierEmulatorProcess? Emulator { get; private set; }

    public BenchCluster Cluster { get; private set; } = null!;

    public GatewayApi Api { get; private set; } = null!;

    public CpuMeter Cpu { get; } = new();

    public static async Task<FanoutStage> StartAsync(FanoutSettings settings, CancellationToken cancellationToken)
    {
        var stage = new FanoutStage(settings);
        try
        {
            int relayPort;
            IEnumerable<KeyValuePair<string, string>> siloSettings = [];
            if (settings.EmulatedCarriers)
            {
                stage.Emulator = await CarrierEmulatorProcess.StartAsync(
                    settings.Repo, settings.Work, CarrierLimits.EmulatorConfig(settings.Silos), cancellationToken);
                relayPort = stage.Emulator.Port;
                siloSettings = CarrierLimits.ShapingEnvironment();
                Log($"relay: carrier emulator on 127.0.0.1:{relayPort}, limits {string.Join(", ", CarrierLimits.Limits.Select(l => $"{l.Emulator}={l.Rate}/s"))}");
            }
            else
            {
                stage.Sink = await SmtpSinkProcess.StartAsync(stage.SinkDumps, cancellationToken);
                relayPort = stage.Sink.Port;
                Log($"relay: smtp-sink on 127.0.0.1:{relayPort}, one dump file per message in {stage.SinkDumps}");
                if (settings.Chaos)
                {
                    // Paced by the engine's own cluster-wide shaping, so the send lasts long enough for every kill.
                    siloSettings = CarrierLimits.ShapingEnvironment(settings.ChaosRate);
                    Log($"shaping: {settings.ChaosRate} messages/s cluster-wide over docomo, au, SoftBank and Gmail (40/25/20/15)");
                }
            }

            stage.Cluster = await BenchCluster.StartAsync(settings, relayPort, siloSettings, cancellationToken);
            stage.Api = new GatewayApi(stage.Cluster.BaseAddress, GatewayApi.ReadBoardToken(stage.Cluster.DemoJsonPath));
            Log($"cluster: {settings.Silos} silo(s) x {settings.Connections} SMTP connections, client-only gateway at {stage.Cluster.BaseAddress}");
            stage.MeterEverything();

            var loaded = await SyntheticCity.LoadAsync(stage.Api, settings.Recipients, FanoutSettings.GuardiansPerSchool, cancellationToken);
            Log($"city: {settings.Recipients} guardians, {loaded}");
            return stage;
        }
        catch
        {
            stage.Dispose();
            throw;
        }
    }

    /// <summary>Samples the silos' peak RSS one last time, then stops the silos and the gateway (the relay keeps running).</summary>
    public void StopCluster()
    {
        Cluster.SamplePeakRss();
        Cluster.Dispose();
    }

    /// <summary>
    /// Stops the dumping sink, reads back what it accepted (each record's time and sender too with
    /// <paramref name="keepEveryRecord"/>) and removes the dump files. Call it once the broadcasts have every outcome:
    /// the sink writes a message's file before it answers 250, so by then the files are complete.
    /// </summary>
    public SinkDump TakeSinkDump(bool keepEveryRecord = false)
    {
        Sink!.Dispose();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var dump = SinkDump.Read(SinkDumps, keepEveryRecord);
        Log($"read {dump.Records} sink records in {watch.Elapsed.TotalSeconds:F1} s");
        Directory.Delete(SinkDumps, recursive: true);
        return dump;
    }

    public void Dispose()
    {
        Api?.Dispose();
        Cluster?.Dispose();
        Sink?.Dispose();
        Emulator?.Dispose();
    }

    public static void Log(string line) =>
        Console.WriteLine($"[{DateTimeOffset.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}] {line}");

    private void MeterEverything()
    {
        Cpu.Add("silos", () => Cluster.SiloProcessIds); // asked afresh: the chaos run restarts silos
        Cpu.Add("gateway", () => [Cluster.GatewayProcessId]);
        Cpu.Add(Emulator is null ? "sink" : "emulator", () => [Sink?.ProcessId ?? Emulator!.ProcessId]);
        if (PostmasterId(Settings.PostgresDataDirectory) is not null)
        {
            Cpu.Add("postgres", PostgresProcessIds);
        }
    }

    /// <summary>The throwaway PostgreSQL's postmaster and its backends now (none when its data folder is unknown).</summary>
    public IEnumerable<int> PostgresProcessIds() =>
        PostmasterId(Settings.PostgresDataDirectory) is { } postmaster ? ProcStats.ChildrenOf(postmaster).Append(postmaster) : [];

    private static int? PostmasterId(string? dataDirectory)
    {
        var pidFile = dataDirectory is null ? null : Path.Combine(dataDirectory, "postmaster.pid");
        return pidFile is not null && File.Exists(pidFile)
               && int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }
}
