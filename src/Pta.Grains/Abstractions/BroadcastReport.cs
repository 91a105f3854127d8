namespace Pta.Grains.Abstractions;

/// <summary>
/// A broadcast's report (issue 5 §6): totals, one line per school and per class, and a per-minute timeline. Computed
/// from the frozen audience, the delivery ledger, the confirmations and the schools' rosters at
/// <see cref="GeneratedAt"/>; definitions in docs/operations.md. Holds counts only, never personal data.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-report")]
public sealed record BroadcastReport(
    [property: Id(0)] string BroadcastId,
    [property: Id(1)] BroadcastStatus Status,
    [property: Id(2)] DateTimeOffset GeneratedAt,
    [property: Id(3)] ReportCounts Totals,
    [property: Id(4)] IReadOnlyList<SchoolReport> Schools,
    [property: Id(5)] IReadOnlyList<ReportMinute> Timeline);

/// <summary>
/// The counts of one report line. Addresses are counted once each; households (a guardian and up to two broadcast
/// addresses) once per line, so a guardian with children in two classes counts in both class lines.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.report-counts")]
public sealed record ReportCounts(
    [property: Id(0)] int Households,
    [property: Id(1)] int Addresses,
    [property: Id(2)] int Delivered,
    [property: Id(3)] int Deferred,
    [property: Id(4)] int Bounced,
    [property: Id(5)] int Pending,
    [property: Id(6)] int ReachedHouseholds,
    [property: Id(7)] int ConfirmedHouseholds,
    [property: Id(8)] double ConfirmedPercent);

/// <summary>One school's line and its class lines (grade, then class).</summary>
[GenerateSerializer, Immutable, Alias("pta.school-report")]
public sealed record SchoolReport(
    [property: Id(0)] string SchoolId,
    [property: Id(1)] string SchoolName,
    [property: Id(2)] ReportCounts Counts,
    [property: Id(3)] IReadOnlyList<ClassReport> Classes);

/// <summary>One class of one grade, as the school's roster names it at report time.</summary>
[GenerateSerializer, Immutable, Alias("pta.class-report")]
public sealed record ClassReport(
    [property: Id(0)] int Grade,
    [property: Id(1)] string Class,
    [property: Id(2)] ReportCounts Counts);

/// <summary>
/// One minute (UTC, start of the minute) of the timeline: addresses whose latest outcome was recorded as sent or
/// bounced in it, and households whose (first) confirmation came in it. Minutes with nothing are left out.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.report-minute")]
public sealed record ReportMinute(
    [property: Id(0)] DateTimeOffset Minute,
    [property: Id(1)] int Sent,
    [property: Id(2)] int Bounced,
    [property: Id(3)] int Confirmed);
