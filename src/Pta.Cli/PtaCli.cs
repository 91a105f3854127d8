using System.CommandLine;
using Pta.Cli.Commands;
using Pta.Cli.Output;

namespace Pta.Cli;

/// <summary>
/// The <c>pta</c> command line: its commands and global options. <see cref="RunAsync"/> is the whole program; tests
/// call it in-process with their own consoles and environment.
/// </summary>
public static class PtaCli
{
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var globals = new GlobalOptions();
        var runner = new CommandRunner(host, globals);
        var root = new RootCommand("pta: the operator CLI of Pta.Orleans (uses the gateway's REST API with an API credential)");
        globals.AddTo(root);
        root.Subcommands.Add(SendCommand.Create(runner));
        root.Subcommands.Add(WatchCommand.Create(runner));
        root.Subcommands.Add(SilosCommand.Create(runner));
        root.Subcommands.Add(ShapingCommand.Create(runner));
        root.Subcommands.Add(ReportCommand.Create(runner));
        var invocation = new InvocationConfiguration
        {
            Output = new ConsoleTextWriter(host.Out),
            Error = new ConsoleTextWriter(host.Error),
        };
        return await root.Parse(args).InvokeAsync(invocation, cancellationToken);
    }
}
