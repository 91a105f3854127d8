using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// The runbook's commands (docs/operations.md, "Cluster"): <c>src/Pta.Silo/deploy/pta-silo.sh start N</c> adds a silo
/// to a running PostgreSQL cluster from the cluster's environment file and returns once it is Active; the new silo takes
/// a share of the next send; <c>stop N</c> takes it out gracefully and the cluster goes back to one silo.
/// </summary>
public sealed class SiloScriptTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private PostgresTestDatabase _database = null!;
    private SmtpSink _sink = null!;
    private WebApplicationFactory<Program> _gateway = null!;
    private string _runDirectory = null!;
    private string _envFile = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("silo_script");
        _sink = await SmtpSink.StartAsync();
        _runDirectory = Directory.CreateTempSubdirectory("pta-silo-script-").FullName;
        var shared = PostgresCluster.SharedSettings("silo-script-tests", _database, _sink);
        shared["Pta:Delivery:ShardSize"] = "10";

        // The environment file an operator keeps in /etc/pta/cluster.env: what every process of the cluster shares.
        _envFile = Path.Combine(_runDirectory, "cluster.env");
        await File.WriteAllLinesAsync(_envFile,
            ["# written by SiloScriptTests", .. shared.Select(kv => $"{kv.Key.Replace(":", "__", StringComparison.Ordinal)}={kv.Value}")]);

        _gateway = PostgresCluster.Gateway(shared, "silo-gateway");
    }

    [Fact]
    public async Task A_silo_added_with_the_runbook_command_takes_a_share_and_leaves_with_the_other()
    {
        using var anonymous = _gateway.CreateClient();
        await WaitForActiveSilosAsync(anonymous, 1);

        var (started, startOutput) = await RunScriptAsync("start", "4");
        var (listed, listOutput) = await RunScriptAsync("list");
        await WaitForActiveSilosAsync(anonymous, 2);

        using var staff = await StandaloneSchool.CreateAsync(_gateway, "b-script", "s-script", 200);
        using var response = await staff.SendAsync(Requests.Post("s-script", Requests.Valid()));
        var messages = await _sink.WaitForAsync(200, Patience);
        var bySilo = messages.GroupBy(m => m.Message.Headers["X-Helo-Args"] ?? "").ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"sends by silo: {string.Join(", ", bySilo.Select(kv => $"{kv.Key}={kv.Value}"))}");

        var (stopped, stopOutput) = await RunScriptAsync("stop", "4");
        await WaitForActiveSilosAsync(anonymous, 1, exactly: true);
        var (stoppedAgain, againOutput) = await RunScriptAsync("stop", "4");

        Assert.True(started == 0, $"start failed ({started}):\n{startOutput}\n{SiloLog()}");
        Assert.Contains("silo 4 is Active", startOutput, StringComparison.Ordinal);
        Assert.Equal(0, listed);
        Assert.Equal(2, listOutput.Split('\n').Count(line => line.Contains(" Active ", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(200, messages.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.True(bySilo.GetValueOrDefault("silo-script") > 0 && bySilo.GetValueOrDefault("silo-gateway") > 0,
            $"both silos should send; got {string.Join(", ", bySilo.Select(kv => $"{kv.Key}={kv.Value}"))}");
        Assert.True(stopped == 0, $"stop failed ({stopped}):\n{stopOutput}");
        Assert.Contains("silo 4 stopped", stopOutput, StringComparison.Ordinal);
        Assert.NotEqual(0, stoppedAgain);
        Assert.Contains("does not run here", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_file_without_postgresql_clustering_is_refused_before_anything_starts()
    {
        var embedded = Path.Combine(_runDirectory, "embedded.env");
        await File.WriteAllLinesAsync(embedded, ["Pta__Cluster__Mode=Embedded"]);

        var (code, text) = await RunScriptAsync(new Dictionary<string, string> { ["PTA_ENV_FILE"] = embedded }, "start", "5");

        Assert.NotEqual(0, code);
        Assert.Contains("Pta__Cluster__Mode=PostgreSql", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_runDirectory, "silo-5.pid")), "no process may have been started");
    }

    private Task<(int ExitCode, string Output)> RunScriptAsync(params string[] arguments) =>
        RunScriptAsync(new Dictionary<string, string>(), arguments);

    private async Task<(int ExitCode, string Output)> RunScriptAsync(Dictionary<string, string> overrides, params string[] arguments)
    {
        var silo = ExternalSilo.AssemblyPath("Pta.Silo");
        var repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(silo)!, "../../../../.."));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(repo, "src/Pta.Silo/deploy/pta-silo.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PTA_ENV_FILE"] = _envFile;
        start.Environment["PTA_RUN_DIR"] = _runDirectory;
        start.Environment["PTA_SILO_DLL"] = silo;
        start.Environment["PTA_SILO_PORT_BASE"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["PTA_GATEWAY_PORT_BASE"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["Pta__Smtp__HeloName"] = "silo-script"; // the caller's environment wins over the file
        foreach (var (key, value) in overrides)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"$ pta-silo.sh {string.Join(' ', arguments)} → {process.ExitCode}\n{text}");
        return (process.ExitCode, text);
    }

    private string SiloLog()
    {
        var log = Path.Combine(_runDirectory, "silo-4.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no silo log)";
    }

    private Task WaitForActiveSilosAsync(HttpClient client, int expected, bool exactly = false) =>
        PostgresCluster.WaitForActiveSilosAsync(client, expected, Patience, SiloLog, exactly);

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", "4"); // in case the test failed half-way; harmless when it is stopped
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_runDirectory, recursive: true);
    }
}
