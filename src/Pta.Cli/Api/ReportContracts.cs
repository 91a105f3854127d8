namespace Pta.Cli.Api;

// GET /api/v1/broadcasts/{id}/report, as far as the CLI prints it (the CSV export is written byte for byte).

/// <summary>A broadcast's report: totals and one line per school.</summary>
internal sealed record Report(string BroadcastId, string Status, DateTimeOffset GeneratedAt, ReportCounts Totals, IReadOnlyList<SchoolReport> Schools);

/// <summary>One school's line.</summary>
internal sealed record SchoolReport(string SchoolId, string SchoolName, ReportCounts Counts);

/// <summary>The counts of a report line (definitions in docs/operations.md, reports).</summary>
internal sealed record ReportCounts(
    int Households, int Addresses, int Delivered, int Deferred, int Bounced, int Pending, int ReachedHouseholds, int ConfirmedHouseholds, double ConfirmedPercent);
