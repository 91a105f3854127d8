using System.Diagnostics;
using Npgsql;

namespace Pta.Testing;

/// <summary>
/// The real <c>pg_dump</c> of a test database, as plain SQL text: what someone who stole a backup would read. The
/// binary is the one tests/run-all.sh runs PostgreSQL from (the highest /usr/lib/postgresql/*/bin), so its version
/// is never older than the server's.
/// </summary>
public static class PgDump
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>The whole database, schema and data; bytea values appear as <c>\x</c> hex.</summary>
    public static async Task<string> DumpAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "--host", builder.Host!, "--port", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                             "--username", builder.Username!, "--no-password", "--dbname", builder.Database! },
        };
        start.Environment["PGPASSWORD"] = builder.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(wait.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"pg_dump exited with {process.ExitCode}: {await errors}");
    }

    private static string Binary()
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Path: Path.Combine(d, "bin", "pg_dump")))
                .Where(c => c.Version >= 0 && File.Exists(c.Path))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Path)
                .ToList()
            : [];
        return binaries.FirstOrDefault() ?? throw new FileNotFoundException("pg_dump not found under /usr/lib/postgresql/*/bin: install postgresql (tests/run-all.sh does).");
    }
}
