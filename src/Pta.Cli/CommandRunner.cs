using System.CommandLine;
using Pta.Cli.Api;
using Pta.Cli.Output;
using Spectre.Console;

namespace Pta.Cli;

/// <summary>
/// Runs one command's body with a gateway client and turns every failure into its exit code and a clear message on
/// the error console, in one place: the bodies just throw <see cref="CliFailure"/>.
/// </summary>
internal sealed class CommandRunner(CliHost host, GlobalOptions globals)
{
    /// <summary>The exit code of a watch or wait that the operator interrupted (Ctrl-C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public CliHost Host => host;

    public GlobalOptions Globals => globals;

    /// <summary>Whether progress is drawn live: a terminal that can, and no --plain.</summary>
    public bool Live(ParseResult parse) => host.CanDrawLive && !parse.GetValue(globals.Plain);

    public void Register(Command command, Func<ParseResult, GatewayClient, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    private async Task<int> RunAsync(ParseResult parse, Func<ParseResult, GatewayClient, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            using var client = GatewayClient.Create(globals.GatewayOf(parse, host), globals.TokenOf(parse, host), host.Handler);
            return await body(parse, client, cancellationToken);
        }
        catch (CliFailure failure)
        {
            ProblemPrinter.Print(host.Error, failure);
            return failure.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            host.Error.MarkupLine("[yellow]Interrupted.[/] A broadcast already accepted goes on; watch it again with [bold]pta watch <id>[/].");
            return Interrupted;
        }
    }
}
