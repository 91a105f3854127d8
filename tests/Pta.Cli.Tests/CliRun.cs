using Spectre.Console.Testing;

namespace Pta.Cli.Tests;

/// <summary>
/// Runs the CLI in-process as a shell would: its real entry (<see cref="PtaCli.RunAsync"/>) with the given arguments,
/// Spectre TestConsoles for standard output and error, and the given environment variables only.
/// </summary>
public static class CliRun
{
    /// <summary>Long enough for the slowest send the tests make; a hang fails with the command that hung.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, bool interactive, params string[] args) =>
        RunAsync(environment, interactive, handler: null, args);

    /// <summary>The same through the given HTTP handler (one that breaks connections, say).</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, bool interactive, HttpMessageHandler? handler, params string[] args)
    {
        using var output = new TestConsole().Width(160);
        using var error = new TestConsole().Width(160);
        if (interactive)
        {
            output.Interactive().SupportsAnsi(true).EmitAnsiSequences = true;
        }

        using var timeout = new CancellationTokenSource(Patience);
        var host = new CliHost(output, error, name => environment.GetValueOrDefault(name), handler);
        var exitCode = await PtaCli.RunAsync(args, host, timeout.Token);
        Assert.False(timeout.IsCancellationRequested, $"pta {string.Join(' ', args)} did not finish within {Patience}");
        return new CliResult(exitCode, output.Output, error.Output);
    }

    /// <summary>The CLI as an operator runs it: gateway and credential from PTA_GATEWAY and PTA_TOKEN, plain output.</summary>
    public static Task<CliResult> AsAsync(CliFixture fixture, string token, params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["PTA_GATEWAY"] = fixture.BaseUrl, ["PTA_TOKEN"] = token }, interactive: false, args);
}

/// <summary>What one run of the CLI left: its exit code, standard output and error console.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public IReadOnlyList<string> OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- error ---\n{Error}";
}
