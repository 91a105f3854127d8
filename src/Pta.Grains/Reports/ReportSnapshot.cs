using Pta.Grains.Abstractions;

namespace Pta.Grains.Reports;

/// <summary>
/// One computation of a broadcast's report and phone-call lists, from which every caller's view is cut: the whole
/// report (a board), one school's report (that school's staff) and each school's list.
/// </summary>
public sealed class ReportSnapshot
{
    private readonly Dictionary<string, BroadcastReport> _bySchool;
    private readonly Dictionary<string, IReadOnlyList<UnconfirmedHousehold>> _unconfirmed;

    private ReportSnapshot(BroadcastReport whole, Dictionary<string, BroadcastReport> bySchool, Dictionary<string, IReadOnlyList<UnconfirmedHousehold>> unconfirmed)
    {
        Whole = whole;
        _bySchool = bySchool;
        _unconfirmed = unconfirmed;
    }

    public BroadcastReport Whole { get; }

    public DateTimeOffset GeneratedAt => Whole.GeneratedAt;

    public static ReportSnapshot Build(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var schoolIndex = inputs.Schools.Select((s, i) => (s.SchoolId, i)).ToDictionary(x => x.SchoolId, x => x.i, StringComparer.Ordinal);
        var index = HouseholdIndex.Build(inputs, schoolIndex);
        var memberships = RosterMemberships.Build(inputs, index);
        var (whole, bySchool) = ReportAggregator.Build(inputs, index, memberships);
        return new ReportSnapshot(whole, bySchool, UnconfirmedList.Build(inputs, index, memberships));
    }

    /// <summary>The whole report, or one school's view of it (an empty one when the broadcast did not go to that school).</summary>
    public BroadcastReport For(string? schoolId) =>
        schoolId is null ? Whole
        : _bySchool.TryGetValue(schoolId, out var school) ? school
        : Whole with { Totals = new ReportCountsBuilder().Build(), Schools = [], Timeline = [] };

    /// <summary>One school's phone-call list; empty when the broadcast did not go to that school.</summary>
    public IReadOnlyList<UnconfirmedHousehold> UnconfirmedOf(string schoolId) =>
        _unconfirmed.TryGetValue(schoolId, out var lines) ? lines : [];
}
