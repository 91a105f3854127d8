using BenchmarkDotNet.Attributes;
using Pta.Grains.Abstractions;

namespace Pta.Benchmarks.Roster;

/// <summary>The audiences a school broadcast is most often sent to.</summary>
public enum AudienceScope
{
    WholeSchool,
    OneGrade,
    TwoClasses,
}

/// <summary>
/// Resolving a school broadcast's audience as <c>SchoolGrain.ResolveAudienceAsync</c> does once the school's
/// recipient snapshot is built: one pass over the flat snapshot array, <see cref="Audience.Includes"/> per entry,
/// one mail per address (case-insensitive de-duplication), the recipients collected in a list. The snapshot is
/// built in <see cref="Setup"/>, as the grain keeps it between broadcasts; no grain and no Orleans run here.
/// </summary>
/// <remarks>
/// The school: <see cref="Guardians"/> guardians over grades 1–6 with one class per 200 guardians in each grade,
/// one child each; every seventh guardian has a second child (in another grade and class, so the whole school
/// reaches that guardian twice), every fifth a second broadcast address, every tenth child belongs to a group.
/// Addresses come from <see cref="SampleAddresses"/>; entries are in a shuffled order, as the grain's order by
/// random child id is.
/// </remarks>
[MemoryDiagnoser]
public class SnapshotIterationBenchmarks
{
    private SnapshotEntry[] _snapshot = null!;
    private Audience _audience = null!;

    [Params(1_000, 2_000)]
    public int Guardians { get; set; }

    [Params(AudienceScope.WholeSchool, AudienceScope.OneGrade, AudienceScope.TwoClasses)]
    public AudienceScope Scope { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = BuildSnapshot(Guardians);
        _audience = Scope switch
        {
            AudienceScope.WholeSchool => Audience.WholeSchool,
            AudienceScope.OneGrade => new Audience([3], []),
            AudienceScope.TwoClasses => new Audience([], [new ClassRef(2, "1"), new ClassRef(5, "3")]),
            _ => throw new InvalidOperationException($"Unknown scope {Scope}."),
        };
    }

    /// <summary>The loop of <c>SchoolGrain.ResolveAudienceAsync</c>, statement for statement.</summary>
    [Benchmark]
    public IReadOnlyList<Recipient> ResolveAudience()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var entry in _snapshot)
        {
            if (_audience.Includes(entry.Grade, entry.Class, entry.GroupIds) && seen.Add(entry.Recipient.Address))
            {
                recipients.Add(entry.Recipient);
            }
        }

        return recipients;
    }

    private static SnapshotEntry[] BuildSnapshot(int guardians)
    {
        const int Grades = 6;
        var classes = Math.Max(1, guardians / 200);
        var first = SampleAddresses.Mix(guardians);
        var second = SampleAddresses.Mix(guardians, firstIndex: guardians);
        IReadOnlyList<string> club = ["grp-brass-band"];

        var children = new List<(int Grade, int Class, int Guardian)>();
        for (var g = 0; g < guardians; g++)
        {
            children.Add((g % Grades + 1, g / Grades % classes + 1, g));
            if (g % 7 == 0)
            {
                children.Add(((g + 3) % Grades + 1, (g / Grades + 1) % classes + 1, g));
            }
        }

        var entries = new List<SnapshotEntry>();
        foreach (var (child, index) in children.Select((c, i) => (c, i)).OrderBy(c => unchecked((uint)c.i * 2654435761u)))
        {
            var groups = index % 10 == 0 ? club : null;
            var addresses = child.Guardian % 5 == 4 ? new[] { first[child.Guardian], second[child.Guardian] } : [first[child.Guardian]];
            for (var slot = 1; slot <= addresses.Length; slot++)
            {
                var recipient = new Recipient($"gi-{child.Guardian:x20}-{slot}", addresses[slot - 1]);
                entries.Add(new SnapshotEntry(child.Grade, child.Class.ToString(System.Globalization.CultureInfo.InvariantCulture), groups, recipient));
            }
        }

        return [.. entries];
    }

    /// <summary>
    /// The grain's snapshot entry (<c>SchoolGrain.SnapshotEntry</c> is private to the grain): the same fields, the
    /// same shape (a readonly record struct of the child's grade, class and groups and one recipient).
    /// </summary>
    private readonly record struct SnapshotEntry(int Grade, string Class, IReadOnlyList<string>? GroupIds, Recipient Recipient);
}
