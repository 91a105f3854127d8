using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>Cancellation, follow-ups to the unconfirmed and the single-guardian rule, at the grain level.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BroadcastLifecycleTests(ClusterFixture fixture)
{
    private static readonly BroadcastActor Principal = new("k-principal", "principal", CredentialRole.School, "127.0.0.1");

    [Fact]
    public async Task Cancelling_a_running_broadcast_sends_to_nobody_else()
    {
        var (profile, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 200);
        fixture.Transport.SlowDown(profile.SchoolId, TimeSpan.FromMilliseconds(25)); // ~4 lanes × 40/s: 200 take seconds
        var id = NewBroadcastId();
        var grain = fixture.Grains.GetGrain<IBroadcastGrain>(id);
        await grain.SubmitAsync(TestSchools.Submission(profile.SchoolId));
        await Eventually.TrueAsync(() => Task.FromResult(SentFor(profile.SchoolId) >= 20), "first sends");

        var cancelled = await grain.CancelAsync(Principal);
        var atCancel = SentFor(profile.SchoolId);
        await Task.Delay(1500); // long enough for ~200 more at the pace before
        var later = SentFor(profile.SchoolId);

        Assert.Equal(LifecycleOutcome.Done, cancelled.Outcome);
        Assert.Equal(BroadcastStatus.Cancelled, cancelled.Broadcast!.Status);
        Assert.True(later - atCancel <= 32, $"{later - atCancel} messages went out after the cancel (at most those already in flight may)");
        Assert.True(later < 200, $"all {later} were sent despite the cancel");
        Assert.Equal(LifecycleOutcome.WrongState, (await grain.CancelAsync(Principal)).Outcome);
    }

    [Fact]
    public async Task A_follow_up_goes_only_to_households_that_have_not_confirmed_and_its_links_confirm_the_original()
    {
        var schoolId = "s-" + Guid.NewGuid().ToString("N")[..12];
        var school = fixture.Grains.GetGrain<ISchoolGrain>(schoolId);
        await school.ConfigureAsync(new SchoolProfile(schoolId, "test-board", "テスト小学校", $"{schoolId}@mail.test-city.example", "テスト小学校"));
        await school.ReplaceRosterAsync([.. Enumerable.Range(0, 4).Select(n => new RosterEntry(
            $"g{n}", 1, "1", [$"father{n}.{schoolId}@docomo.ne.jp", $"mother{n}.{schoolId}@ezweb.ne.jp"]))]);
        var id = NewBroadcastId();
        var submission = TestSchools.Submission(schoolId) with
        {
            RequestsConfirmation = true,
            FollowUpDelays = [TimeSpan.FromSeconds(4)],
        };
        var grain = fixture.Grains.GetGrain<IBroadcastGrain>(id);
        await grain.SubmitAsync(submission);
        await Eventually.TrueAsync(async () => (await grain.GetAsync())!.Status == BroadcastStatus.Completed, "first round sent");

        // Household 0 confirms from the mother's address; household 1 never got it (bounced), 2 and 3 stay silent.
        var keys = await RecipientKeysAsync(id);
        var mother0 = keys.Single(k => k.Address.StartsWith("mother0.", StringComparison.Ordinal)).Key;
        await fixture.Confirmations.RecordAsync(new ConfirmationRecord(id, Ids.HouseholdOf(mother0), mother0, DateTimeOffset.UtcNow), CancellationToken.None);
        var father1 = keys.Single(k => k.Address.StartsWith("father1.", StringComparison.Ordinal)).Key;
        await fixture.Database.ScalarAsync(
            "UPDATE pta_delivery_outcome SET status = 3 WHERE broadcast_id = $1 AND recipient_key = $2 RETURNING 1", id, father1);

        await Eventually.TrueAsync(async () => (await grain.GetAsync())!.FollowUpIds is { Count: 1 }, "follow-up started", TimeSpan.FromSeconds(90));
        var followUpId = (await grain.GetAsync())!.FollowUpIds![0];
        var followUp = fixture.Grains.GetGrain<IBroadcastGrain>(followUpId);
        await Eventually.TrueAsync(async () => (await followUp.GetAsync())!.Status == BroadcastStatus.Completed, "follow-up sent");

        var resent = fixture.Transport.Sent.Where(s => s.Raw.Contains(followUpId, StringComparison.Ordinal)).Select(s => s.Recipient.Split('.')[0]).Order().ToList();
        Assert.Equal(["father2", "father3", "mother1", "mother2", "mother3"], resent);
        var view = (await followUp.GetAsync())!;
        Assert.Equal(id, view.FollowUpOf);
        Assert.StartsWith("【再送】", view.Subject, StringComparison.Ordinal);
        Assert.Equal(id, (await followUp.GetFollowUpSourceAsync())!.Content.ConfirmationTarget);
    }

    [Fact]
    public async Task An_audience_of_a_single_guardian_is_refused_and_nothing_is_stored_but_two_addresses_of_two_guardians_are_not()
    {
        var (profile, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 7, grades: 7, classes: 1);
        var single = NewBroadcastId();
        var pair = NewBroadcastId();

        var refused = await fixture.Grains.GetGrain<IBroadcastGrain>(single)
            .SubmitAsync(TestSchools.Submission(profile.SchoolId, audience: new Audience([3], [])));
        var accepted = await fixture.Grains.GetGrain<IBroadcastGrain>(pair)
            .SubmitAsync(TestSchools.Submission(profile.SchoolId, audience: new Audience([3, 4], [])));

        Assert.Equal(SubmitOutcome.SingleGuardian, refused.Outcome);
        Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(single).GetAsync());
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_broadcast_recipient WHERE broadcast_id = $1", single));
        Assert.Equal(SubmitOutcome.Accepted, accepted.Outcome);
        Assert.Equal(2, accepted.Broadcast!.Counts.Recipients);
    }

    [Fact]
    public async Task A_maintenance_notice_reaches_every_verified_address_in_all_four_slots_also_with_broadcasts_switched_off()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 2);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId);
        var now = DateTimeOffset.UtcNow;
        await school.RegisterChildAsync("山田一郎", 1, "1", "gd-maint");
        await school.UpdateGuardianAsync(new GuardianContact("gd-maint", "山田太郎",
            [
                new AddressSlot(1, $"taro.{profile.SchoolId}@docomo.ne.jp", AddressStatus.Verified, now),
                new AddressSlot(3, $"office.{profile.SchoolId}@gmail.com", AddressStatus.Verified, now),
                new AddressSlot(4, $"unverified.{profile.SchoolId}@gmail.com", AddressStatus.Pending, null),
            ],
            ReceiveBroadcasts: false));

        var usual = await school.ResolveAudienceAsync(Audience.WholeSchool);
        var maintenance = await school.ResolveAudienceAsync(Audience.WholeSchool with { EveryRegisteredAddress = true });

        Assert.Equal(roster.Select(r => r.BroadcastAddresses[0]).Order(), usual.Select(r => r.Address).Order());
        Assert.Equal(
            roster.Select(r => r.BroadcastAddresses[0]).Append($"taro.{profile.SchoolId}@docomo.ne.jp").Append($"office.{profile.SchoolId}@gmail.com").Order(),
            maintenance.Select(r => r.Address).Order());
        Assert.Contains(maintenance, r => r.Key == "gd-maint-3");
    }

    private int SentFor(string schoolId) => fixture.Transport.Sent.Count(s => s.Recipient.Contains(schoolId, StringComparison.Ordinal));

    private async Task<List<(string Key, string Address)>> RecipientKeysAsync(string broadcastId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT recipient_key, address FROM pta_broadcast_recipient WHERE broadcast_id = $1");
        command.Parameters.AddWithValue(broadcastId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        using var protector = TestAtRestKeys.Protector(); // addresses are sealed at rest
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), protector.OpenText(reader.GetFieldValue<byte[]>(1))));
        }

        return rows;
    }

    private static string NewBroadcastId() => Ids.BroadcastId("lifecycle", Guid.NewGuid().ToString());
}
