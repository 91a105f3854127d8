using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Reports;

namespace Pta.Grains.Tests;

/// <summary>
/// The report's arithmetic on explicit inputs, for the cases a small end-to-end broadcast cannot stage reliably:
/// deferred and pending addresses, parents sharing an address, a narrowed audience, a sibling household at two schools,
/// guardian ids reused by two schools' bulk rosters, and a PTA's members-only audience.
/// </summary>
public sealed class ReportSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Deferred_pending_and_shared_addresses_are_told_apart_and_a_narrowed_audience_counts_only_its_classes()
    {
        var roster = Roster(
            [Child("c1", 1, "1", "g1"), Child("c2", 3, "1", "g1"), Child("c3", 1, "1", "g2", "g3"), Child("c4", 1, "2", "g4"), Child("c5", 1, "2", "g5"), Child("c6", 3, "1", "g6"), Child("c7", 1, "2", "g3")],
            [Guardian("g1", "a1@docomo.ne.jp"), Guardian("g2", "shared@docomo.ne.jp"), Guardian("g3", "shared@docomo.ne.jp"), Guardian("g4", "a4@au.com"), Guardian("g5", "a5@gmail.com"), Guardian("g6", null)]);
        var inputs = Inputs(
            new Audience([1], []),
            [("s1", roster)],
            [[new("g1-1", "a1@docomo.ne.jp"), new("g2-1", "shared@docomo.ne.jp"), new("g4-1", "a4@au.com"), new("g5-1", "a5@gmail.com")]],
            [Outcome(0, "g1-1", DeliveryStatus.Sent, 10), Outcome(0, "g2-1", DeliveryStatus.Sent, 70), Outcome(0, "g4-1", DeliveryStatus.Deferred, 20, "421 4.7.0 try again later")],
            [new("bc", "g2", "g2-1", T0.AddSeconds(90)), new("bc", "g9", "g9-1", T0)]);

        var snapshot = ReportSnapshot.Build(inputs);

        // g3 shares g2's address, which the audience kept once under g2: c7 (g3's only child) was reached through it.
        Assert.Equal(new ReportCounts(4, 4, 2, 1, 0, 1, 2, 1, 25.0), snapshot.Whole.Totals);
        var school = Assert.Single(snapshot.Whole.Schools);
        Assert.Equal(
            [new ClassReport(1, "1", new ReportCounts(2, 2, 2, 0, 0, 0, 2, 1, 50.0)), new ClassReport(1, "2", new ReportCounts(3, 3, 1, 1, 0, 1, 1, 1, 33.3))],
            school.Classes);
        Assert.Equal([new ReportMinute(T0, 1, 0, 0), new ReportMinute(T0.AddMinutes(1), 1, 0, 1)], snapshot.Whole.Timeline);
        Assert.Equal(
            [("c1", FollowUpReason.Unconfirmed, null), ("c4", FollowUpReason.Deferred, "421 4.7.0 try again later"), ("c5", FollowUpReason.Pending, (string?)null)],
            snapshot.UnconfirmedOf("s1").Select(l => (l.ChildName, l.Reason, l.Reply)));
        Assert.Equal(["a***@au.com"], snapshot.UnconfirmedOf("s1")[1].MaskedAddresses);
    }

    [Fact]
    public void A_sibling_household_counts_in_both_schools_and_once_in_the_totals_and_ids_reused_by_two_rosters_stay_apart()
    {
        var a = Roster([Child("e1", 1, "1", "gd-sib"), Child("e2", 1, "1", "x")], [Guardian("gd-sib", "sib@docomo.ne.jp"), Guardian("x", "ax@docomo.ne.jp")]);
        var b = Roster([Child("d1", 1, "1", "gd-sib"), Child("d2", 1, "1", "x")], [Guardian("gd-sib", "sib@docomo.ne.jp"), Guardian("x", "bx@gmail.com")]);
        var inputs = Inputs(
            Audience.WholeSchool,
            [("sa", a), ("sb", b)],
            [[new("gd-sib-1", "sib@docomo.ne.jp"), new("x-1", "ax@docomo.ne.jp")], [new("x-1", "bx@gmail.com")]],
            [Outcome(0, "gd-sib-1", DeliveryStatus.Sent, 1), Outcome(0, "x-1", DeliveryStatus.Sent, 1), Outcome(1, "x-1", DeliveryStatus.Failed, 2, "550 5.7.1 rejected")],
            [new("bc", "gd-sib", "gd-sib-1", T0.AddSeconds(30))]);

        var snapshot = ReportSnapshot.Build(inputs);

        Assert.Equal(new ReportCounts(3, 3, 2, 0, 1, 0, 2, 1, 33.3), snapshot.Whole.Totals);
        Assert.Equal(new ReportCounts(2, 2, 2, 0, 0, 0, 2, 1, 50.0), snapshot.For("sa").Totals);
        Assert.Equal(new ReportCounts(2, 2, 1, 0, 1, 0, 1, 1, 50.0), snapshot.For("sb").Totals);
        Assert.Equal([new ReportMinute(T0, 1, 1, 1)], snapshot.For("sb").Timeline);
        Assert.Equal(("d2", FollowUpReason.Bounced, "550 5.7.1 rejected"), snapshot.UnconfirmedOf("sb").Select(l => (l.ChildName, l.Reason, l.Reply)).Single());
        Assert.Equal(("e2", FollowUpReason.Unconfirmed), snapshot.UnconfirmedOf("sa").Select(l => (l.ChildName, l.Reason)).Single());
        Assert.Empty(snapshot.For("elsewhere").Schools);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public void Children_no_guardian_was_mailed_are_listed_unless_the_broadcast_went_to_pta_members_only(bool pta, int listed)
    {
        var roster = Roster(
            [Child("c1", 2, "1", "m1"), Child("c2", 2, "1", "n1"), Child("c3", 2, "1", "off")],
            [Guardian("m1", "m1@docomo.ne.jp"), Guardian("n1", null), Guardian("off", "off@docomo.ne.jp") with { ReceiveBroadcasts = false }]);
        var inputs = Inputs(Audience.WholeSchool, [("s1", roster)], [[new("m1-1", "m1@docomo.ne.jp")]], [Outcome(0, "m1-1", DeliveryStatus.Sent, 1)],
            [new("bc", "m1", "m1-1", T0)]) with { IsPtaBroadcast = pta };

        var lines = ReportSnapshot.Build(inputs).UnconfirmedOf("s1");

        Assert.Equal(listed, lines.Count); // the guardian who switched broadcasts off is not on the list either
        Assert.All(lines, l => Assert.Equal(("c2", "n1 name", FollowUpReason.NoAddressOnFile), (l.ChildName, l.GuardianName, l.Reason)));
    }

    private static ReportInputs Inputs(
        Audience audience,
        IReadOnlyList<(string SchoolId, SchoolRoster Roster)> schools,
        IReadOnlyList<IReadOnlyList<Recipient>> shards,
        IReadOnlyList<DeliveryOutcome> outcomes,
        IReadOnlyList<ConfirmationRecord> confirmations) =>
        new("bc", BroadcastStatus.Completed, false,
            new AudiencePlanView([.. shards.Select((s, i) => new ShardPlan(i, schools[Math.Min(i, schools.Count - 1)].SchoolId, "", "", s.Count))], audience),
            shards, [.. schools.Select(s => new ReportSchool(s.SchoolId, s.SchoolId + " name", s.Roster))], outcomes, confirmations, T0.AddHours(1));

    private static DeliveryOutcome Outcome(int shard, string key, DeliveryStatus status, int seconds, string? reply = null) =>
        new("bc", shard, key, status, 1, reply, T0.AddSeconds(seconds));

    private static ChildRecord Child(string id, int grade, string className, params string[] guardians) => new(id, id, grade, className, guardians);

    private static GuardianContact Guardian(string id, string? address) =>
        new(id, id + " name", address is null ? [] : [new AddressSlot(1, address, AddressStatus.Verified, null)], ReceiveBroadcasts: true);

    private static SchoolRoster Roster(IReadOnlyList<ChildRecord> children, IReadOnlyList<GuardianContact> guardians) =>
        new(children, guardians.ToDictionary(g => g.GuardianId));
}
