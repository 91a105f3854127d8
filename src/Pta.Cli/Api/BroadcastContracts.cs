namespace Pta.Cli.Api;

// The gateway's broadcast answers, as far as the CLI reads them. Enums travel as camelCase strings and stay strings
// here: a status the gateway adds later prints as it is instead of failing the CLI.

/// <summary>Recipients (addresses) and what happened to them so far; <c>Failed</c> is bounced.</summary>
internal sealed record Counts(int Recipients, int Sent, int Deferred, int Failed)
{
    public static Counts Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Addresses nothing was recorded for yet.</summary>
    public int Pending => Math.Max(0, Recipients - Sent - Deferred - Failed);
}

/// <summary>A broadcast as <c>POST …/broadcasts</c> and <c>GET /api/v1/broadcasts/{id}</c> answer.</summary>
internal sealed record BroadcastInfo(string Id, string? SchoolId, string BoardId, string Subject, string Category, string Status, Counts Counts);

/// <summary>One school's or one carrier's part of a broadcast.</summary>
internal sealed record SchoolLine(string SchoolId, Counts Counts);

/// <inheritdoc cref="SchoolLine"/>
internal sealed record CarrierLine(string Carrier, Counts Counts);

/// <summary>Read confirmations (受信確認) counted by household; only for broadcasts that ask for them.</summary>
internal sealed record Confirmation(int Households, int ConfirmedHouseholds, double ConfirmedPercent);

/// <summary>One <c>progress</c> event of <c>GET /api/v1/broadcasts/{id}/events</c>.</summary>
internal sealed record LiveProgress(
    string BroadcastId,
    string Status,
    Counts Counts,
    double AttemptedPercent,
    IReadOnlyList<SchoolLine> Schools,
    IReadOnlyList<CarrierLine> Carriers,
    Confirmation? Confirmation)
{
    /// <summary>Nothing more will be sent: the gateway's Completed, Cancelled and Rejected.</summary>
    public bool IsOver => Status is BroadcastStatuses.Completed or BroadcastStatuses.Cancelled or BroadcastStatuses.Rejected;
}

/// <summary>The statuses the CLI acts on, as the gateway spells them.</summary>
internal static class BroadcastStatuses
{
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Rejected = "rejected";
    public const string AwaitingApproval = "awaitingApproval";
    public const string Scheduled = "scheduled";
}
