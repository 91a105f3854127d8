using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;

namespace Pta.Grains.Reports;

/// <summary>A school of the broadcast as it is at report time: its name and roster (grades, classes, names).</summary>
public sealed record ReportSchool(string SchoolId, string Name, SchoolRoster Roster);

/// <summary>
/// Everything one report is computed from, each read once: the broadcast's plan and frozen audience, the latest
/// outcome per recipient, the confirmations and the rosters. Apart so the computation can be measured and tested
/// without a cluster (benchmarks/report.sh, ReportSnapshotTests).
/// </summary>
public sealed record ReportInputs(
    string BroadcastId,
    BroadcastStatus Status,
    bool IsPtaBroadcast,
    AudiencePlanView Plan,
    IReadOnlyList<IReadOnlyList<Recipient>> AudienceByShard,
    IReadOnlyList<ReportSchool> Schools,
    IReadOnlyList<DeliveryOutcome> Outcomes,
    IReadOnlyList<ConfirmationRecord> Confirmations,
    DateTimeOffset Now);
