using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Reports;

/// <summary>
/// The phone-call list of a broadcast, per school: one line per (household that did not confirm, targeted child),
/// then the targeted children the broadcast reached no guardian of. Addresses are masked here, in the silo, so no full
/// address leaves it on this path. Households on no roster of the broadcast any more (withdrawn, left) are left out.
/// </summary>
internal static class UnconfirmedList
{
    public static Dictionary<string, IReadOnlyList<UnconfirmedHousehold>> Build(ReportInputs inputs, HouseholdIndex index, RosterMemberships memberships)
    {
        var lines = inputs.Schools.Select(_ => new List<UnconfirmedHousehold>()).ToArray();
        var withChild = new HashSet<long>();
        foreach (var (h, s, child) in memberships.UnconfirmedChildren)
        {
            withChild.Add(RosterMemberships.Pair(h, s));
            lines[s].Add(Line(inputs.Schools[s].SchoolId, child, h, index, memberships.Contacts[h]));
        }

        // Unconfirmed households on a roster but with no targeted child there any more still get a line.
        foreach (var (h, s) in memberships.SchoolMembers)
        {
            if (!index.Tally(h).Confirmed && memberships.Contacts[h] is { } contact && !withChild.Contains(RosterMemberships.Pair(h, s)))
            {
                lines[s].Add(Line(inputs.Schools[s].SchoolId, null, h, index, contact));
            }
        }

        foreach (var (s, child) in memberships.ChildrenNotReached)
        {
            lines[s].AddRange(NotReached(inputs.Schools[s], child));
        }

        return inputs.Schools.Select((school, s) => (school.SchoolId, Lines: (IReadOnlyList<UnconfirmedHousehold>)[.. lines[s]
                .OrderBy(l => l.Grade ?? int.MaxValue).ThenBy(l => l.Class, StringComparer.Ordinal)
                .ThenBy(l => l.ChildName, StringComparer.Ordinal).ThenBy(l => l.GuardianName, StringComparer.Ordinal)]))
            .ToDictionary(x => x.SchoolId, x => x.Lines, StringComparer.Ordinal);
    }

    private static UnconfirmedHousehold Line(string schoolId, ChildRecord? child, int household, HouseholdIndex index, GuardianContact? contact)
    {
        var tally = index.Tally(household);
        var recipients = index.RecipientsOf(household).ToList();
        var reason = contact is { ReceiveBroadcasts: false } ? FollowUpReason.BroadcastsSwitchedOff
            : tally.Delivered > 0 ? FollowUpReason.Unconfirmed
            : tally.Deferred > 0 ? FollowUpReason.Deferred
            : tally.Pending > 0 ? FollowUpReason.Pending
            : FollowUpReason.Bounced;
        var reply = reason switch
        {
            FollowUpReason.Bounced => FirstReply(index, recipients, DeliveryStatus.Failed, DeliveryStatus.InvalidAddress),
            FollowUpReason.Deferred => FirstReply(index, recipients, DeliveryStatus.Deferred, DeliveryStatus.Deferred),
            _ => null,
        };
        return new UnconfirmedHousehold(schoolId, child?.Grade, child?.Class, child?.Name, contact?.Name ?? "",
            [.. recipients.Select(r => GuardianAddress.Mask(index.Recipient(r).Address))], reason, reply);
    }

    private static string? FirstReply(HouseholdIndex index, List<int> recipients, DeliveryStatus status, DeliveryStatus orStatus) =>
        recipients.Select(index.Outcome).FirstOrDefault(o => o is not null && (o.Status == status || o.Status == orStatus))?.Reply;

    /// <summary>A child the broadcast reached no guardian of: each guardian who has not switched broadcasts off, or one line with none.</summary>
    private static IEnumerable<UnconfirmedHousehold> NotReached(ReportSchool school, ChildRecord child)
    {
        var guardians = child.GuardianIds.Select(id => school.Roster.Guardians.GetValueOrDefault(id)).OfType<GuardianContact>().ToList();
        if (guardians.Count == 0)
        {
            yield return new UnconfirmedHousehold(school.SchoolId, child.Grade, child.Class, child.Name, "", [], FollowUpReason.NoAddressOnFile, null);
            yield break;
        }

        foreach (var guardian in guardians.Where(g => g.ReceiveBroadcasts))
        {
            yield return new UnconfirmedHousehold(school.SchoolId, child.Grade, child.Class, child.Name, guardian.Name,
                [.. guardian.Addresses.OrderBy(a => a.Slot).Select(a => GuardianAddress.Mask(a.Address))], FollowUpReason.NoAddressOnFile, null);
        }
    }
}
