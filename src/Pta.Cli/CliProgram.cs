using Spectre.Console;

namespace Pta.Cli;

/// <summary>The <c>pta</c> executable: the real consoles and environment, then <see cref="PtaCli"/>.</summary>
public static class CliProgram
{
    public static Task<int> Main(string[] args)
    {
        // Redirected output (a pipe, a file, CI's log) gets plain lines: no live redraws, no escape sequences.
        var redirected = Console.IsOutputRedirected;
        var output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        var error = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        return PtaCli.RunAsync(args, new CliHost(output, error, Environment.GetEnvironmentVariable));
    }
}
