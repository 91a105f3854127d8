using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class BroadcastTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_broadcast_reaches_every_recipient_once_over_several_shards_and_the_ledger_has_a_row_each()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 30);
        var id = NewBroadcastId();

        var result = await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var done = await WaitForCompletionAsync(id);

        Assert.Equal(SubmitOutcome.Accepted, result.Outcome);
        Assert.Equal(30, result.Broadcast!.Counts.Recipients);
        Assert.Equal(new BroadcastCounts(30, 30, 0, 0), done.Counts);
        Assert.All(roster, r => Assert.Equal(1, fixture.Transport.SentTo(r.BroadcastAddresses[0])));
        Assert.Equal(30, await fixture.Database.ScalarAsync(
            "SELECT count(DISTINCT recipient_key) FROM pta_delivery_outcome WHERE broadcast_id = $1 AND status = 0", id));
        Assert.Equal(5, await fixture.Database.ScalarAsync(
            "SELECT count(DISTINCT shard_index) FROM pta_delivery_outcome WHERE broadcast_id = $1", id)); // 30 / 7 per shard
    }

    [Fact]
    public async Task The_watchdog_reminder_is_stored_while_sending_and_removed_once_complete()
    {
        var (profile, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 3);
        var id = NewBroadcastId();
        fixture.Transport.DeferFirst($"hogosha0000.{profile.SchoolId}@docomo.ne.jp", 2); // keeps the shard busy for two retries

        await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var whileSending = await fixture.Database.RemindersOfAsync(id);
        await WaitForCompletionAsync(id);

        Assert.Equal(1, whileSending);
        await Eventually.TrueAsync(async () => await fixture.Database.RemindersOfAsync(id) == 0, "watchdog removed");
    }

    [Fact]
    public async Task Replaying_a_submission_returns_the_same_broadcast_and_sends_nothing_more()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 5);
        var id = NewBroadcastId();
        var grain = fixture.Grains.GetGrain<IBroadcastGrain>(id);
        await grain.SubmitAsync(TestSchools.Submission(profile.SchoolId));
        await WaitForCompletionAsync(id);

        var replay = await grain.SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var reuse = await grain.SubmitAsync(TestSchools.Submission(profile.SchoolId, subject: "別の件名", hash: "h2"));
        await Task.Delay(300);

        Assert.Equal(SubmitOutcome.AlreadyAccepted, replay.Outcome);
        Assert.Equal(SubmitOutcome.KeyReusedWithOtherContent, reuse.Outcome);
        Assert.All(roster, r => Assert.Equal(1, fixture.Transport.SentTo(r.BroadcastAddresses[0])));
    }

    [Fact]
    public async Task Unknown_school_and_empty_audience_store_nothing()
    {
        var (profile, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 5, grades: 1);
        var unknownId = NewBroadcastId();
        var emptyId = NewBroadcastId();

        var unknown = await fixture.Grains.GetGrain<IBroadcastGrain>(unknownId).SubmitAsync(TestSchools.Submission("no-such-school"));
        var empty = await fixture.Grains.GetGrain<IBroadcastGrain>(emptyId)
            .SubmitAsync(TestSchools.Submission(profile.SchoolId, audience: new Audience([6], [])));

        Assert.Equal(SubmitOutcome.UnknownSchool, unknown.Outcome);
        Assert.Equal(SubmitOutcome.NoRecipients, empty.Outcome);
        foreach (var id in new[] { unknownId, emptyId })
        {
            Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(id).GetAsync());
            Assert.Equal(0, await fixture.Database.ScalarAsync(
                "SELECT count(*) FROM orleansstorage WHERE grainidextensionstring LIKE '%' || $1 || '%'", id));
            Assert.Equal(0, await fixture.Database.RemindersOfAsync(id));
        }
    }

    [Fact]
    public async Task A_deferred_recipient_is_retried_with_backoff_until_the_deadline_and_the_ledger_records_the_attempts()
    {
        var (profile, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 4);
        var slow = $"hogosha0001.{profile.SchoolId}@docomo.ne.jp";
        var never = $"hogosha0002.{profile.SchoolId}@docomo.ne.jp";
        fixture.Transport.DeferFirst(slow, 1);
        fixture.Transport.DeferFirst(never, 100);
        var id = NewBroadcastId();

        await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var done = await WaitForCompletionAsync(id);

        // 50 ms, then 100 ms repeated (the cap) until the 1 s deadline: about ten tries, never more than the schedule allows.
        var tries = fixture.Transport.Attempts.Count(a => a == never);
        Assert.Equal(new BroadcastCounts(4, 3, 0, 1), done.Counts);
        Assert.Equal(1, fixture.Transport.SentTo(slow));
        Assert.Equal(0, fixture.Transport.SentTo(never));
        Assert.InRange(tries, 4, 11);
        Assert.Equal(2, await fixture.Database.ScalarAsync(
            "SELECT attempts FROM pta_delivery_outcome WHERE broadcast_id = $1 AND recipient_key = 'g0001-1' ORDER BY id DESC LIMIT 1", id));
        Assert.Equal((long)DeliveryStatus.Failed, await fixture.Database.ScalarAsync(
            "SELECT status FROM pta_delivery_outcome WHERE broadcast_id = $1 AND recipient_key = 'g0002-1' ORDER BY id DESC LIMIT 1", id));
        Assert.Equal(1, await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM pta_delivery_outcome WHERE broadcast_id = $1 AND recipient_key = 'g0002-1' AND reply LIKE 'expired:%'", id));
    }

    [Fact]
    public async Task An_address_the_rules_refuse_fails_alone_and_the_rest_of_the_shard_is_sent()
    {
        var schoolId = "s-" + Guid.NewGuid().ToString("N")[..12];
        var school = fixture.Grains.GetGrain<ISchoolGrain>(schoolId);
        await school.ConfigureAsync(new SchoolProfile(schoolId, "b", "n", $"{schoolId}@mail.test.example", "n"));
        await school.ReplaceRosterAsync(
        [
            new RosterEntry("g1", 1, "1", [$"ok1.{schoolId}@docomo.ne.jp"]),
            new RosterEntry("g2", 1, "1", ["no-at-sign.example"]),
            new RosterEntry("g3", 1, "1", [$"ok3.{schoolId}@au.com"]),
        ]);
        var id = NewBroadcastId();

        await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(schoolId));
        var done = await WaitForCompletionAsync(id);

        Assert.Equal(new BroadcastCounts(3, 2, 0, 1), done.Counts);
        Assert.Equal((long)DeliveryStatus.InvalidAddress, await fixture.Database.ScalarAsync(
            "SELECT status FROM pta_delivery_outcome WHERE broadcast_id = $1 AND recipient_key = 'g2-1'", id));
    }

    [Fact]
    public async Task A_shard_started_again_after_a_crash_sends_only_to_recipients_not_recorded_as_sent()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 5);
        var id = NewBroadcastId();

        // What an earlier activation left behind before its silo died: three of the five recorded as sent.
        var ledger = new PostgresDeliveryLedger(fixture.Database.DataSource);
        await ledger.RecordAsync(
            [.. roster.Take(3).Select(r => new DeliveryOutcome(id, 0, $"{r.GuardianId}-1", DeliveryStatus.Sent, 1, "250 ok", DateTimeOffset.UtcNow))],
            CancellationToken.None);

        await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var done = await WaitForCompletionAsync(id);

        Assert.Equal(new BroadcastCounts(5, 5, 0, 0), done.Counts);
        Assert.All(roster.Take(3), r => Assert.Equal(0, fixture.Transport.SentTo(r.BroadcastAddresses[0])));
        Assert.All(roster.Skip(3), r => Assert.Equal(1, fixture.Transport.SentTo(r.BroadcastAddresses[0])));
    }

    [Fact]
    public async Task An_unknown_user_reply_suppresses_the_address_for_imported_and_self_registered_guardians()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 3);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId);
        await school.SetAuthCodeAsync(System.Security.Cryptography.SHA256.HashData("1234"u8.ToArray()));
        var ticket = fixture.Grains.GetGrain<IRegistrationTicketGrain>(Ids.New("rt"));
        var registeredAddress = $"gone.{profile.SchoolId}@ezweb.ne.jp";
        await ticket.IssueAsync(profile.SchoolId, registeredAddress, DateTimeOffset.UtcNow.AddHours(1));
        var registered = await ticket.CompleteAsync(new RegistrationForm("1234", "子", 1, "1", "親", [], "2026-11", "192.0.2.1"));
        var importedAddress = roster[0].BroadcastAddresses[0];
        fixture.Transport.RejectAsUnknown(importedAddress);
        fixture.Transport.RejectAsUnknown(registeredAddress);
        var id = NewBroadcastId();

        await fixture.Grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(TestSchools.Submission(profile.SchoolId));
        var done = await WaitForCompletionAsync(id);
        var next = await school.ResolveAudienceAsync(Audience.WholeSchool);

        Assert.Equal(new BroadcastCounts(4, 2, 0, 2), done.Counts);
        Assert.Equal(2, next.Count);
        Assert.DoesNotContain(next, r => r.Address == importedAddress || r.Address == registeredAddress);
        var guardian = await fixture.Grains.GetGrain<IGuardianGrain>(registered.GuardianId!).GetAsync();
        Assert.Equal(AddressStatus.Invalid, Assert.Single(guardian!.Addresses).Status);
    }

    private static string NewBroadcastId() => Ids.BroadcastId("test", Guid.NewGuid().ToString());

    private async Task<BroadcastView> WaitForCompletionAsync(string broadcastId)
    {
        var grain = fixture.Grains.GetGrain<IBroadcastGrain>(broadcastId);
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await grain.GetAsync() is { Status: BroadcastStatus.Completed } view)
            {
                return view;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Broadcast {broadcastId} did not complete within {Patience} (phase: sending).");
    }
}
