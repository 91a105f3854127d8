using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Grains.Registration;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// Withdrawal and retention on a fake clock: out of every recipient list at once, personal data purged only
/// after the retention period (365 days by default), with an audit record in PostgreSQL proving it happened.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9)));
    private readonly CapturingTransport _transport = new();
    private PostgresTestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        (_database, _cluster) = await PostgresTestCluster.StartAsync("retention", (services, database) =>
        {
            RegistrationServices.Add(services, database, _clock, _transport);
        });
    }

    [Fact]
    public async Task A_withdrawn_guardian_leaves_the_lists_at_once_and_is_purged_after_the_retention_period()
    {
        var grains = _cluster.Client;
        var school = grains.GetGrain<ISchoolGrain>("s-retention");
        await school.ConfigureAsync(new SchoolProfile("s-retention", "b", "保持小学校", "s-retention@mail.test.example", "保持小学校"));
        await school.SetAuthCodeAsync(SHA256.HashData(Encoding.UTF8.GetBytes("1111-2222")));
        var ticket = grains.GetGrain<IRegistrationTicketGrain>(Ids.New("rt"));
        await ticket.IssueAsync("s-retention", "taro.retention@docomo.ne.jp", _clock.GetUtcNow().AddDays(1));
        var registered = await ticket.CompleteAsync(new RegistrationForm(
            "1111-2222", "山田一郎", 2, "1", "山田太郎", ["taro.work@gmail.com"], "2026-11", "192.0.2.10"));
        var guardian = grains.GetGrain<IGuardianGrain>(registered.GuardianId!);
        Assert.Equal(2, (await school.ResolveAudienceAsync(Audience.WholeSchool)).Count);

        await guardian.WithdrawAsync();
        Assert.Empty(await school.ResolveAudienceAsync(Audience.WholeSchool));
        Assert.Equal(1, await _database.RemindersOfAsync(registered.GuardianId!));

        _clock.Advance(TimeSpan.FromDays(364));
        Assert.False(await guardian.PurgeIfDueAsync());
        Assert.Equal("山田太郎", (await guardian.GetAsync())!.Name);

        // Past the period, the guardian's daily purge reminder does the purge by itself (Orleans' reminder
        // service runs on the same fake clock, so advancing it makes the reminder tick).
        _clock.Advance(TimeSpan.FromDays(2));
        await Eventually.TrueAsync(async () => (await guardian.GetAsync())!.Status == GuardianStatus.Purged, "purge by reminder");
        await _cluster.DeactivateAsync(guardian);

        var purged = (await guardian.GetAsync())!;
        Assert.Equal(GuardianStatus.Purged, purged.Status);
        Assert.Equal("", purged.Name);
        Assert.Empty(purged.Addresses);
        Assert.Empty(purged.Children);
        Assert.Empty(purged.Consents);
        Assert.NotNull(purged.PurgedAt);
        Assert.Equal(0, await _database.ScalarAsync(
            "SELECT count(*) FROM orleansstorage WHERE position(convert_to('taro.retention', 'UTF8') IN coalesce(payloadbinary, ''::bytea)) > 0 AND graintypestring = 'guardian'"));
        var trail = await new PostgresAuditLog(_database.DataSource).ReadAsync(registered.GuardianId!);
        Assert.Equal(["guardian.withdrew", "guardian.purged"], trail.Select(e => e.Action));
        Assert.Equal(0, await _database.RemindersOfAsync(registered.GuardianId!));
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}
