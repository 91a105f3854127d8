using System.Net;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6 (4): SMTP faults through the carrier emulator. A connection lost right after the carrier took the message
/// is retried (the sender cannot know it was taken), so the guardian may get it twice, with the same Message-ID;
/// a connection cut in the middle of the message is retried and delivered once; a reply held back for seconds is
/// waited for. Nothing is lost either way.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SmtpFaultTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_connection_lost_after_or_during_data_and_a_slow_reply_lose_nothing_and_a_duplicate_keeps_its_message_id()
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"b-{suffix}";
        var schoolId = $"s-{suffix}";
        var school = new SchoolProfile(schoolId, boardId, "障害試験小学校", $"{schoolId}@mail.test-city.example", "障害試験小学校");
        await fixture.Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "テスト市教育委員会", $"board@{boardId}.example", [schoolId]));
        await fixture.Grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(school);
        string[] addresses =
        [
            $"dropdata.{suffix}@ymobile.ne.jp", $"slowreply.{suffix}@ymobile.ne.jp",
            $"plain1.{suffix}@ymobile.ne.jp", $"plain2.{suffix}@ymobile.ne.jp", $"cutdata.{suffix}@ymobile.ne.jp",
        ];
        await fixture.Grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(
            [.. addresses.Select((a, n) => new RosterEntry($"g{n}", 1, "1", [a]))]);
        using var staff = fixture.WithToken(await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.School, boardId, schoolId, "staff"));

        using var response = await staff.SendAsync(Requests.Post(schoolId, Requests.Valid("emergency")));
        var done = await BroadcastPolling.WaitForStatusAsync(staff, response.Headers.Location!.ToString(), "completed", TimeSpan.FromSeconds(120));
        var taken = fixture.Carrier.LedgerEntries().Where(e => e.Recipients.Any(r => r.Contains(suffix, StringComparison.Ordinal))).ToList();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(5, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(0, done.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.All(addresses, a => Assert.Contains(taken, e => e.Recipients.Contains(a)));
        var dropped = taken.Where(e => e.Recipients.Contains(addresses[0])).ToList();
        Assert.Equal(2, dropped.Count); // taken, connection lost, retried: the one duplicate the sender cannot avoid
        Assert.Single(dropped.Select(e => e.MessageId).Distinct());
        Assert.Single(taken, e => e.Recipients.Contains(addresses[1])); // slow, not lost, not retried
        Assert.Single(taken, e => e.Recipients.Contains(addresses[4])); // cut off mid-message: nothing taken, then once
        Assert.Contains(fixture.Carrier.Log.Split('\n'), line => line.Contains("cut during DATA", StringComparison.Ordinal)
                                                               && line.Contains(addresses[4], StringComparison.Ordinal)); // the fault did happen
    }
}
