namespace Pta.Cli.Api;

// GET /api/v1/boards/{boardId}/cluster and GET /api/v1/session, as far as the CLI reads them.

/// <summary>The cluster as the board console shows it: active silos and each carrier's shaping.</summary>
internal sealed record ClusterState(DateTimeOffset At, bool ShapingEnabled, IReadOnlyList<SiloState> Silos, IReadOnlyList<CarrierShaping> Carriers);

/// <summary>One active silo; CPU, activations and overload are null when it did not answer in time.</summary>
internal sealed record SiloState(
    string Name, string Address, string Host, string Status, DateTimeOffset StartedAt, double? CpuPercent, int? Activations, bool? Overloaded,
    double? SentPerSecond, long? Sent);

/// <summary>A carrier's shaping: configured and effective cluster-wide rate (null = unlimited), back-off factor, pause.</summary>
internal sealed record CarrierShaping(
    string Carrier, double? ConfiguredPerSecond, double RateFactor, double? EffectivePerSecond, DateTimeOffset? PausedUntil, int RecentUnknownUsers);

/// <summary>Who the credential is: the CLI takes the board and the school from here when no option names them.</summary>
internal sealed record Session(string Role, string Label, string BoardId, string? BoardName, string? SchoolId, IReadOnlyList<SessionSchool> Schools)
{
    public bool IsBoard => Role is "board" or "boardOperator";
}

/// <summary>A school the credential reaches.</summary>
internal sealed record SessionSchool(string SchoolId, string Name);
