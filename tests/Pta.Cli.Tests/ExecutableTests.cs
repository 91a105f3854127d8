using System.Diagnostics;

namespace Pta.Cli.Tests;

/// <summary>
/// The built <c>pta</c> executable (not the in-process entry): its standard output is a pipe, as in a script or CI,
/// so progress comes as plain lines with no escape sequences, and the exit code is the process'.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ExecutableTests(CliFixture fixture)
{
    [Fact]
    public async Task Send_and_watch_through_a_pipe_prints_plain_lines_and_exits_zero()
    {
        var tenant = await fixture.CreateTenantAsync(10);

        var (exitCode, output, error) = await RunPtaAsync(tenant.FirstPrincipalToken,
            "send", "--subject", "不審者情報", "--body", "下校時は複数で帰宅してください。", "--category", "safety", "--watch");

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{output}\n{error}");
        Assert.DoesNotContain('\u001b', output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^bc-[0-9a-f]{24}$", lines[0]);
        Assert.Contains(lines, l => l.EndsWith($"{lines[0]} completed sent 10/10 deferred 0 bounced 0", StringComparison.Ordinal));
        Assert.Contains("Accepted", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunPtaAsync(string token, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(PtaCli).Assembly.Location); // pta.dll, built beside the tests
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PTA_GATEWAY"] = fixture.BaseUrl;
        start.Environment["PTA_TOKEN"] = token;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CliRun.Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"pta {string.Join(' ', args)} did not exit within {CliRun.Patience}");
        }

        return (process.ExitCode, await output, await error);
    }
}
