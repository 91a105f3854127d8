using Spectre.Console;

namespace Pta.Cli;

/// <summary>
/// What the CLI talks to besides the gateway: its two consoles, its environment variables and, for tests, the HTTP
/// handler. <see cref="CliProgram"/> passes the real process' ones; tests pass Spectre TestConsoles and a dictionary,
/// so commands run in-process exactly as from a shell without touching the test process' environment.
/// </summary>
/// <param name="Out">Results: the broadcast id, tables, progress. Kept free of errors so scripts can capture it.</param>
/// <param name="Error">Problems, hints and the send's acknowledgement.</param>
/// <param name="Environment">Looks up an environment variable (PTA_GATEWAY, PTA_TOKEN).</param>
/// <param name="Handler">The HTTP handler to use; null for the default one.</param>
public sealed record CliHost(IAnsiConsole Out, IAnsiConsole Error, Func<string, string?> Environment, HttpMessageHandler? Handler = null)
{
    /// <summary>Whether progress can be drawn as live bars: only on an interactive terminal that understands ANSI.</summary>
    public bool CanDrawLive => Out.Profile.Capabilities.Interactive && Out.Profile.Capabilities.Ansi;
}
