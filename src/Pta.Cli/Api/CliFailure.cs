namespace Pta.Cli.Api;

/// <summary>
/// Why a command could not do its work, with the exit code that tells a script which kind of failure it was. The
/// command layer catches it once and prints it to the error console; nothing below it prints errors itself.
/// </summary>
internal sealed class CliFailure(int exitCode, string message, ApiProblem? problem = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The gateway's problem document, when the failure is an answer of the gateway.</summary>
    public ApiProblem? Problem { get; } = problem;

    public static CliFailure From(ApiProblem problem) => new(ExitCodes.ApiProblem, problem.Title, problem);

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, message);
}
