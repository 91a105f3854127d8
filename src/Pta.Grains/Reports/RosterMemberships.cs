using Pta.Grains.Abstractions;

namespace Pta.Grains.Reports;

/// <summary>One class of one school of the report.</summary>
internal readonly record struct ClassKey(int School, int Grade, string Class);

/// <summary>A child of the targeted audience and the roster contact through which a household is its guardian.</summary>
internal readonly record struct HouseholdChild(int Household, int School, ChildRecord Child);

/// <summary>
/// Where each household belongs at report time, from the schools' rosters: the classes of its children in the targeted
/// audience (a guardian of children in two classes belongs to both), its schools (those classes' schools and the school
/// whose shard mailed it), its roster contact, the children of households that did not confirm, and the children the
/// broadcast reached no guardian of. One pass over each roster, one lookup per (child, guardian).
/// </summary>
internal sealed class RosterMemberships
{
    private readonly HashSet<long> _classPairs;
    private readonly HashSet<long> _schoolPairs;
    private readonly Dictionary<ClassKey, int> _classIndex = [];
    private readonly List<int> _childHouseholds = new(ChildRecord.MaxGuardians);

    private RosterMemberships(int households, int children)
    {
        Contacts = new GuardianContact?[households];
        _classPairs = new HashSet<long>(children);
        _schoolPairs = new HashSet<long>(households);
        ClassMembers = new(children);
        SchoolMembers = new(households);
    }

    public List<ClassKey> Classes { get; } = [];

    public List<(int Household, int Class)> ClassMembers { get; }

    public List<(int Household, int School)> SchoolMembers { get; }

    /// <summary>Each household's contact in a roster of the broadcast's schools, or null when it is on none any more.</summary>
    public GuardianContact?[] Contacts { get; }

    /// <summary>The targeted children of every household that has not confirmed, for the phone-call list.</summary>
    public List<HouseholdChild> UnconfirmedChildren { get; } = [];

    /// <summary>Targeted children none of whose guardians the broadcast went to (not for a PTA's members-only broadcast).</summary>
    public List<(int School, ChildRecord Child)> ChildrenNotReached { get; } = [];

    public static RosterMemberships Build(ReportInputs inputs, HouseholdIndex index)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(index);
        var memberships = new RosterMemberships(index.HouseholdCount, inputs.Schools.Sum(s => s.Roster.Children.Count));
        for (var s = 0; s < inputs.Schools.Count; s++)
        {
            foreach (var (guardianId, contact) in inputs.Schools[s].Roster.Guardians)
            {
                if (index.TryFind(s, guardianId, null, out var h))
                {
                    memberships.Contacts[h] ??= contact;
                }
            }
        }

        for (var s = 0; s < inputs.Schools.Count; s++)
        {
            memberships.AddSchool(s, inputs.Schools[s].Roster, inputs.Plan.Audience, index, inputs.IsPtaBroadcast);
        }

        // The school whose sender mailed a household counts it even when no child of it is on the roster any more.
        for (var h = 0; h < index.HouseholdCount; h++)
        {
            memberships.AddSchoolMember(h, index.HomeSchool(h));
        }

        return memberships;
    }

    private void AddSchool(int school, SchoolRoster roster, Audience audience, HouseholdIndex index, bool isPta)
    {
        foreach (var child in roster.Children)
        {
            if (!audience.Includes(child.Grade, child.Class, child.GroupIds))
            {
                continue;
            }

            _childHouseholds.Clear();
            foreach (var guardianId in child.GuardianIds)
            {
                var contact = roster.Guardians.GetValueOrDefault(guardianId);
                if (!index.TryFind(school, guardianId, contact, out var h) || _childHouseholds.Contains(h))
                {
                    continue; // two guardians sharing one address are one household, listed once per child
                }

                _childHouseholds.Add(h);
                Contacts[h] ??= contact;
                var cls = ClassOf(new ClassKey(school, child.Grade, child.Class));
                if (_classPairs.Add(Pair(h, cls)))
                {
                    ClassMembers.Add((h, cls));
                }

                AddSchoolMember(h, school);
                if (!index.Tally(h).Confirmed)
                {
                    UnconfirmedChildren.Add(new HouseholdChild(h, school, child));
                }
            }

            if (_childHouseholds.Count == 0 && !isPta)
            {
                ChildrenNotReached.Add((school, child));
            }
        }
    }

    private void AddSchoolMember(int household, int school)
    {
        if (_schoolPairs.Add(Pair(household, school)))
        {
            SchoolMembers.Add((household, school));
        }
    }

    private int ClassOf(ClassKey key)
    {
        if (!_classIndex.TryGetValue(key, out var index))
        {
            index = Classes.Count;
            _classIndex.Add(key, index);
            Classes.Add(key);
        }

        return index;
    }

    internal static long Pair(int a, int b) => ((long)a << 32) | (uint)b;
}
