namespace Pta.Cli.Tests;

/// <summary><c>pta silos</c> and <c>pta shaping</c> read the board's cluster view with a board credential.</summary>
[Collection(CliCollection.Name)]
public sealed class ClusterTests(CliFixture fixture)
{
    [Fact]
    public async Task Silos_lists_the_gateways_silo_as_active()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.BoardToken, "silos");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var silo = Assert.Single(run.OutLines, l => l.Contains($"127.0.0.1:{fixture.SiloPort}:", StringComparison.Ordinal));
        Assert.Contains("Active", silo, StringComparison.Ordinal);
        Assert.Contains("1 active silo(s)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silos_shows_each_silos_messages_sent_once_it_has_sent()
    {
        var tenant = await fixture.CreateTenantAsync(6);
        var send = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "send", "--subject", "訓練", "--body", "送信の確認", "--emergency", "--watch");
        Assert.True(send.ExitCode == ExitCodes.Success, send.ToString());

        // The silo reports its totals to the cluster's rate grain every 2 s: ask until the sent column has them.
        CliResult run = null!;
        long sent = 0;
        for (var attempt = 0; attempt < 40 && sent < 6; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 250);
            run = await CliRun.AsAsync(fixture, tenant.BoardToken, "silos");
            var line = run.OutLines.Single(l => l.Contains($"127.0.0.1:{fixture.SiloPort}:", StringComparison.Ordinal));
            _ = long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], out sent);
        }

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("sent/s", run.Out, StringComparison.Ordinal);
        Assert.True(sent >= 6, $"the silo's sent column should count this test's 6 mails:\n{run}");
    }

    [Fact]
    public async Task Shaping_shows_every_carriers_configured_rate_and_factor()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.BoardToken, "shaping", "--board", tenant.BoardId);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Shaping is on", run.Out, StringComparison.Ordinal);
        foreach (var carrier in new[] { "docomo", "au", "softbank", "ymobile", "gmail", "other" })
        {
            var line = Assert.Single(run.OutLines, l => l.StartsWith(carrier + " ", StringComparison.Ordinal));
            Assert.Matches($@"^{carrier}\s+{CliFixture.MessagesPerSecond}\s+\d\.\d\d\s+\d+(\.\d)?\s", line);
        }
    }

    [Fact]
    public async Task A_school_credential_does_not_see_the_cluster()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "silos");

        Assert.True(run.ExitCode == ExitCodes.ApiProblem, run.ToString());
        Assert.Contains("error 404", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }
}
