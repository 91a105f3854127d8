using Pta.Grains.Abstractions;

namespace Pta.Grains.Reports;

/// <summary>
/// Adds households up into the report's lines: totals (each household once), one line per school and per class (a
/// household in every school and class it belongs to), and per-minute timelines for the totals and for each school.
/// Linear in households plus memberships.
/// </summary>
internal static class ReportAggregator
{
    /// <summary>The whole report, and each school's own view of it by school id.</summary>
    public static (BroadcastReport Whole, Dictionary<string, BroadcastReport> BySchool) Build(
        ReportInputs inputs, HouseholdIndex index, RosterMemberships memberships)
    {
        var totals = new ReportCountsBuilder();
        var timeline = new TimelineBuilder();
        for (var h = 0; h < index.HouseholdCount; h++)
        {
            totals.Add(index.Tally(h));
            timeline.Add(index, h);
        }

        var schools = inputs.Schools.Select(_ => new ReportCountsBuilder()).ToArray();
        var schoolTimelines = inputs.Schools.Select(_ => new TimelineBuilder()).ToArray();
        foreach (var (h, s) in memberships.SchoolMembers)
        {
            schools[s].Add(index.Tally(h));
            schoolTimelines[s].Add(index, h);
        }

        var classes = memberships.Classes.Select(_ => new ReportCountsBuilder()).ToArray();
        foreach (var (h, c) in memberships.ClassMembers)
        {
            classes[c].Add(index.Tally(h));
        }

        var classesBySchool = memberships.Classes
            .Select((key, c) => (key.School, Line: new ClassReport(key.Grade, key.Class, classes[c].Build())))
            .ToLookup(x => x.School, x => x.Line);
        var lines = inputs.Schools
            .Select((school, s) => new SchoolReport(school.SchoolId, school.Name, schools[s].Build(),
                [.. classesBySchool[s].OrderBy(c => c.Grade).ThenBy(c => c.Class, StringComparer.Ordinal)]))
            .ToList();
        var whole = new BroadcastReport(inputs.BroadcastId, inputs.Status, inputs.Now, totals.Build(),
            [.. lines.OrderBy(l => l.SchoolId, StringComparer.Ordinal)], timeline.Build());
        var bySchool = lines.Select((line, s) => whole with { Totals = line.Counts, Schools = [line], Timeline = schoolTimelines[s].Build() })
            .ToDictionary(r => r.Schools[0].SchoolId, StringComparer.Ordinal);
        return (whole, bySchool);
    }
}
