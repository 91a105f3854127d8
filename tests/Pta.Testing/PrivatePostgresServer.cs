using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Pta.Testing;

/// <summary>
/// A PostgreSQL server of a test's own (initdb in the run's scratch folder, a free loopback port), for tests that stop
/// and restart the database under a running system: the run's shared server must stay up for every other test.
/// As root the server runs as the <c>postgres</c> user, which PostgreSQL demands; its command line carries the run
/// folder, so tests/run-all.sh stops it even when a test dies before disposing it.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    private const string Password = "private-test";
    private readonly string _directory;
    private readonly string _binaries;

    private PrivatePostgresServer(string directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A connection string for a database of this server (created by <see cref="CreateDatabaseAsync"/>).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=pta;Password={Password};Database={database};Timeout=3;Command Timeout=15";

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var binaries = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d)!), CultureInfo.InvariantCulture))
            .LastOrDefault() ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
        var directory = Path.Combine(TestEnvironment.ScratchDirectory, $"pg-{Guid.NewGuid():N}"[..15]);
        Directory.CreateDirectory(directory);
        await RunAsync("chmod", "700", directory);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:", directory);
        }

        var passwordFile = Path.Combine(directory, "pwfile");
        await AsServerUserAsync("sh", "-c", $"umask 077; printf '%s\\n' '{Password}' > '{passwordFile}'");
        await AsServerUserAsync(Path.Combine(binaries, "initdb"), "-D", Path.Combine(directory, "data"), "-U", "pta",
            $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync");
        var server = new PrivatePostgresServer(directory, binaries, FreePort.Next());
        // Durable like production (fsync on): an immediate stop must not lose what was committed.
        await AsServerUserAsync("sh", "-c",
            $"printf \"listen_addresses = '127.0.0.1'\\nunix_socket_directories = '{directory}'\\nmax_connections = 200\\nport = {server.Port}\\n\" >> '{server.DataDirectory}/postgresql.conf'");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server after a stop, on the same port, and waits until it answers.</summary>
    public async Task StartAgainAsync() =>
        await AsServerUserAsync(Path.Combine(_binaries, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start");

    /// <summary><c>pg_ctl stop -m immediate</c>: every server process quits at once, as in a crash; recovery replays the WAL.</summary>
    public async Task StopImmediatelyAsync() =>
        await AsServerUserAsync(Path.Combine(_binaries, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopImmediatelyAsync();
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // the run folder goes with the run
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task AsServerUserAsync(string program, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
