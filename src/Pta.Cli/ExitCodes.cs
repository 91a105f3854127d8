namespace Pta.Cli;

/// <summary>
/// The CLI's exit codes, distinct per kind of failure so a script (or a runbook step) can tell "the gateway said no"
/// from "the broadcast did not complete" without parsing text. Documented in README's CLI section.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done; for watch, the broadcast completed.</summary>
    public const int Success = 0;

    /// <summary>The command line or its inputs (options, JSON file, credential) are wrong; nothing was sent.</summary>
    public const int Usage = 1;

    /// <summary>The gateway answered with a problem (4xx/5xx): title, detail and the field at fault are printed.</summary>
    public const int ApiProblem = 2;

    /// <summary>The broadcast ended without completing: cancelled, or its draft rejected.</summary>
    public const int BroadcastNotCompleted = 3;

    /// <summary>The gateway could not be reached (connection refused, timeout).</summary>
    public const int Unreachable = 4;
}
