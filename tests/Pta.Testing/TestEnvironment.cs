namespace Pta.Testing;

/// <summary>
/// The servers tests/run-all.sh starts and hands over in environment variables. Running `dotnet test`
/// directly, without that script, fails here with a message that says so.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdminConnectionString => Require("PTA_TEST_POSTGRES");

    public static string SmtpSinkPath => Require("PTA_SMTP_SINK");

    /// <summary>A world-writable scratch folder of this run (smtp-sink drops to user nobody when run as root).</summary>
    public static string ScratchDirectory
    {
        get
        {
            var run = Environment.GetEnvironmentVariable("PTA_TEST_RUN_DIR");
            return string.IsNullOrEmpty(run) ? Path.GetTempPath() : Path.Combine(run, "tmp");
        }
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests with `bash tests/run-all.sh`, which starts PostgreSQL and the SMTP sink.");
}
