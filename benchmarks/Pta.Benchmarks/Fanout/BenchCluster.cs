using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using Npgsql;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// K <c>Pta.Silo</c> processes and one client-only <c>Pta.Gateway</c>, all in the production profile (PostgreSQL
/// clustering and storage, SMTP relay), started from the Release builds that benchmarks/fanout.sh made.
/// </summary>
public sealed class BenchCluster : IDisposable
{
    private readonly List<LoggedProcess> _silos = [];
    private readonly List<SiloLaunch> _launches = [];
    private readonly Dictionary<int, double> _peakRssMb = [];
    private LoggedProcess? _gateway;

    private BenchCluster()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string DemoJsonPath { get; private set; } = string.Empty;

    /// <summary>The silo processes running now (a restarted silo has a new id).</summary>
    public IReadOnlyList<int> SiloProcessIds
    {
        get
        {
            lock (_silos)
            {
                return [.. _silos.Select(s => s.Id)];
            }
        }
    }

    public int SiloCount => _launches.Count;

    /// <summary>Silo <paramref name="index"/>'s silo-to-silo port: its key in Orleans' membership table, kept across restarts.</summary>
    public int SiloPort(int index) => _launches[index].SiloPort;

    public int GatewayProcessId => _gateway?.Id ?? 0;

    /// <summary>
    /// What every silo of this cluster is started with except its ports, data folder and EHLO name: the cluster's
    /// environment file as an operator would keep it (<see cref="RunbookSilo"/> writes it for the runbook's script).
    /// </summary>
    public IReadOnlyDictionary<string, string> SharedSiloEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>Starts the silos, waits until all are active in the membership table, then starts the gateway and waits for its demo seed.</summary>
    public static async Task<BenchCluster> StartAsync(
        FanoutSettings settings, int smtpPort, IEnumerable<KeyValuePair<string, string>> siloSettings, CancellationToken cancellationToken)
    {
        var cluster = new BenchCluster();
        try
        {
            var common = new Dictionary<string, string>
            {
                ["Pta__Cluster__Mode"] = "PostgreSql",
                ["Pta__Postgres__ConnectionString"] = settings.PostgresConnectionString,
                ["Pta__Links__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Pta__AtRest__Keys__1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Pta__AtRest__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),

                // The logs in the work folder (kept with PTA_BENCH_LOGS) are read against the run's own timeline.
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            };
            var siloDll = Path.Combine(settings.Repo, "src/Pta.Silo/bin/Release/net10.0/Pta.Silo.dll");
            for (var i = 0; i < settings.Silos; i++)
            {
                var siloPort = Port();
                var environment = new Dictionary<string, string>(common)
                {
                    ["Pta__Cluster__SiloPort"] = siloPort,
                    ["Pta__Cluster__GatewayPort"] = Port(),
                    ["Pta__Smtp__Host"] = "127.0.0.1",
                    ["Pta__Smtp__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
                    ["Pta__Smtp__Connections"] = settings.Connections.ToString(CultureInfo.InvariantCulture),
                    ["Pta__Smtp__HeloName"] = $"silo-{i}",
                    ["Pta__DataDirectory"] = Path.Combine(settings.Work, $"silo-{i}"),
                };
                foreach (var (key, value) in siloSettings)
                {
                    environment[key] = value;
                }

                cluster.SharedSiloEnvironment = environment
                    .Where(kv => kv.Key is not ("Pta__Cluster__SiloPort" or "Pta__Cluster__GatewayPort" or "Pta__Smtp__HeloName" or "Pta__DataDirectory"))
                    .ToDictionary();
                var launch = new SiloLaunch($"silo {i}", siloDll, environment, Path.Combine(settings.Work, $"silo-{i}"),
                    int.Parse(siloPort, CultureInfo.InvariantCulture));
                cluster._launches.Add(launch);
                cluster._silos.Add(launch.Start());
            }

            await cluster.WaitForActiveSilosAsync(settings, cancellationToken);

            var httpPort = Port();
            var gatewayDirectory = Path.Combine(settings.Repo, "src/Pta.Gateway");
            var gatewayData = Path.Combine(settings.Work, "gateway");
            cluster.DemoJsonPath = Path.Combine(gatewayData, "demo.json");
            cluster.BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
            var gatewayEnvironment = new Dictionary<string, string>(common)
            {
                ["Pta__Gateway__CoHostSilo"] = "false",
                ["Pta__Demo__Seed"] = "true",
                ["Pta__DataDirectory"] = gatewayData,
                ["Urls"] = cluster.BaseAddress.ToString().TrimEnd('/'),
            };
            if (settings.Confirm)
            {
                // wrk clicks every link of one broadcast from 127.0.0.1 at ~10,000/s, far past what one address or one
                // broadcast may do in production. The limits stay in the click's path (their cost is measured), raised.
                gatewayEnvironment["Pta__RateLimits__Confirmation__PerAddress__PermitLimit"] = "1000000000";
                gatewayEnvironment["Pta__RateLimits__Confirmation__PerBroadcast__PermitLimit"] = "1000000000";
            }

            cluster._gateway = LoggedProcess.Start("gateway", "dotnet", ["bin/Release/net10.0/Pta.Gateway.dll"], gatewayDirectory,
                gatewayEnvironment, Path.Combine(settings.Work, "gateway.log"));
            await cluster.WaitForGatewayAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>kill -9</c> of silo <paramref name="index"/>: no shutdown, no flush, its grains and SMTP sessions simply gone.
    /// Returns once the process has ended.
    /// </summary>
    public void KillSilo(int index)
    {
        LoggedProcess victim;
        lock (_silos)
        {
            victim = _silos[index];
        }

        SamplePeakRss();
        Signals.KillHard(victim.Id);
        victim.WaitForExit(TimeSpan.FromSeconds(10));
        victim.Dispose();
    }

    /// <summary>
    /// Starts silo <paramref name="index"/> again with the same settings and ports, as a process supervisor would; its
    /// log goes to a new file (<c>silo-I.rN.log</c>).
    /// </summary>
    public void RestartSilo(int index)
    {
        var started = _launches[index].Start();
        lock (_silos)
        {
            _silos[index] = started;
        }
    }

    /// <summary>Reads every silo's peak RSS (VmHWM) now; call it before the silos stop, since /proc forgets them.</summary>
    public void SamplePeakRss()
    {
        List<LoggedProcess> silos;
        lock (_silos)
        {
            silos = [.. _silos];
        }

        foreach (var silo in silos)
        {
            var rss = ProcStats.PeakRssMb(silo.Id);
            _peakRssMb[silo.Id] = Math.Max(rss, _peakRssMb.GetValueOrDefault(silo.Id));
        }
    }

    /// <summary>The largest silo's peak RSS of all samples, in MiB.</summary>
    public double LargestPeakRssMb => _peakRssMb.Count == 0 ? 0 : _peakRssMb.Values.Max();

    public double GatewayPeakRssMb => _gateway is null ? 0 : ProcStats.PeakRssMb(_gateway.Id);

    public void Dispose()
    {
        _gateway?.Dispose();
        lock (_silos)
        {
            foreach (var silo in _silos)
            {
                silo.Dispose();
            }
        }
    }

    private async Task WaitForActiveSilosAsync(FanoutSettings settings, CancellationToken cancellationToken)
    {
        await using var database = NpgsqlDataSource.Create(settings.PostgresConnectionString);
        for (var attempt = 0; attempt < 240; attempt++)
        {
            ThrowIfAnyExited();
            try
            {
                // Status 3 is Orleans' SiloStatus.Active.
                await using var command = database.CreateCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3");
                var active = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                if (active >= settings.Silos)
                {
                    return;
                }
            }
            catch (PostgresException)
            {
                // The first silo has not created the table yet.
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"{settings.Silos} silo(s) did not become active within 120 s: {_silos[0].Tail()}");
    }

    private async Task WaitForGatewayAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            ThrowIfAnyExited();
            if (File.Exists(DemoJsonPath))
            {
                try
                {
                    using var health = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                    if (health.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"the gateway did not come up within 120 s: {_gateway!.Tail()}");
    }

    private void ThrowIfAnyExited()
    {
        foreach (var process in _silos.Append(_gateway))
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{process.Name} exited early: {process.Tail()}");
            }
        }
    }

    private static string Port() => PostfixTools.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);

    /// <summary>How to start one silo, kept so that a killed silo can be started again exactly as before.</summary>
    private sealed class SiloLaunch(string name, string dll, IReadOnlyDictionary<string, string> environment, string logBase, int siloPort)
    {
        private int _starts;

        public int SiloPort { get; } = siloPort;

        public LoggedProcess Start()
        {
            var start = _starts++;
            var log = start == 0 ? $"{logBase}.log" : string.Create(CultureInfo.InvariantCulture, $"{logBase}.r{start}.log");
            return LoggedProcess.Start(name, "dotnet", [dll], Path.GetDirectoryName(dll)!, environment, log);
        }
    }
}
