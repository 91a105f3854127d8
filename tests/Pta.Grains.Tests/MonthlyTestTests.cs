using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>The board's monthly test broadcast (seed 002), on a clock the test moves, in a cluster of its own.</summary>
public sealed class MonthlyTestTests : IAsyncLifetime
{
    private static readonly BroadcastActor BoardAdministrator = new("k-board", "board administrator", CredentialRole.Board, "127.0.0.1");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 59, 55, MonthlySchedule.JapanOffset));
    private readonly CapturingTransport _transport = new();
    private PostgresTestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        (_database, _cluster) = await PostgresTestCluster.StartAsync(
            "monthly", (services, database) => ClusterFixture.AddServices(services, database, _transport, new InMemoryConfirmationStore(), _clock));

    [Fact]
    public async Task The_monthly_test_is_sent_at_its_day_and_time_in_japan_and_the_next_run_is_a_month_later()
    {
        var grains = _cluster.Client;
        const string boardId = "b-monthly";
        var (school, roster) = await TestSchools.CreateAsync(grains, guardians: 3, boardId: boardId);
        await grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "テスト市教育委員会", "board@b-monthly.example", [school.SchoolId]));
        var monthly = grains.GetGrain<IMonthlyTestGrain>(boardId);

        var next = await monthly.SetAsync(new MonthlySchedule(1, new TimeOnly(10, 0), "【テスト配信】", "毎月のテスト配信です。", [], false, BoardAdministrator));
        var sentBeforeTime = _transport.Sent.Count;
        _clock.Advance(TimeSpan.FromSeconds(10)); // 10:00:05 in Japan: the run is due
        await Eventually.TrueAsync(() => Task.FromResult(_transport.Sent.Count == 3), "the monthly test sent", TimeSpan.FromSeconds(60));
        var view = (await monthly.GetAsync())!;
        var broadcast = await grains.GetGrain<IBroadcastGrain>(Assert.Single(view.RecentBroadcastIds)).GetAsync();

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, MonthlySchedule.JapanOffset), next);
        Assert.Equal(0, sentBeforeTime);
        Assert.All(roster, r => Assert.Equal(1, _transport.SentTo(r.BroadcastAddresses[0])));
        Assert.Equal(BroadcastCategory.Test, broadcast!.Category);
        Assert.Equal("【テスト配信】", broadcast.Subject);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 10, 0, 0, MonthlySchedule.JapanOffset), view.NextRunAt);
        Assert.True(await monthly.StopAsync());
        Assert.Null(await monthly.GetAsync());
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>When the monthly test runs: pure arithmetic on Japan time, no cluster needed.</summary>
public sealed class MonthlyScheduleTests
{
    private static readonly BroadcastActor BoardAdministrator = new("k-board", "board administrator", CredentialRole.Board, "127.0.0.1");

    [Theory]
    [InlineData("2026-11-23T09:00:00+09:00", 1, "10:00", "2026-12-01T10:00:00+09:00")]
    [InlineData("2026-12-01T09:59:00+09:00", 1, "10:00", "2026-12-01T10:00:00+09:00")]
    [InlineData("2026-12-01T10:00:00+09:00", 1, "10:00", "2027-01-01T10:00:00+09:00")]
    [InlineData("2026-12-28T23:30:00+09:00", 28, "23:00", "2027-01-28T23:00:00+09:00")]
    [InlineData("2026-11-30T16:00:00+00:00", 1, "00:30", "2027-01-01T00:30:00+09:00")] // already 01:00 on the 1st in Japan
    public void The_next_run_is_the_first_day_and_time_in_japan_strictly_after_now(string now, int day, string time, string expected)
    {
        var schedule = new MonthlySchedule(day, TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), "s", "b", [], false, BoardAdministrator);

        var next = schedule.NextAfter(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal($"monthly-test/{next:yyyy-MM}", MonthlySchedule.RunKey(next));
    }
}
