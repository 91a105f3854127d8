using Spectre.Console;

namespace Pta.Cli;

/// <summary>The <c>pta</c> executable: the real consoles and environment, then <see cref="PtaCli"/>.</summary>
public static class CliProgram
{
    /// <summary>Columns for redirected output: wide enough that table rows stay one line each for grep and awk.</summary>
    private const int RedirectedWidth = 200;

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
        if (redirected)
        {
            output.Profile.Width = RedirectedWidth;
        }

        var error = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = Console.IsErrorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (Console.IsErrorRedirected)
        {
            error.Profile.Width = RedirectedWidth;
        }

        return PtaCli.RunAsync(args, new CliHost(output, error, Environment.GetEnvironmentVariable));
    }
}
