using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// An address whose completion mail was deferred stays pending (and receives nothing) until a durable
/// reminder gets the mail accepted; then it is verified and joins the school's recipient list.
/// </summary>
public sealed class VerificationRetryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CapturingTransport _transport = new();
    private PostgresTestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        (_database, _cluster) = await PostgresTestCluster.StartAsync("verifyretry",
            (services, database) => RegistrationServices.Add(services, database, _clock, _transport));

    [Fact]
    public async Task A_deferred_completion_mail_is_retried_by_a_reminder_until_the_address_is_verified()
    {
        var grains = _cluster.Client;
        var school = grains.GetGrain<ISchoolGrain>("s-verify");
        await school.ConfigureAsync(new SchoolProfile("s-verify", "b", "確認小学校", "s-verify@mail.test.example", "確認小学校"));
        await school.SetAuthCodeAsync(SHA256.HashData(Encoding.UTF8.GetBytes("1111-2222")));
        _transport.DeferFirst("slow.verify@docomo.ne.jp", 1);
        var ticket = grains.GetGrain<IRegistrationTicketGrain>(Ids.New("rt"));
        await ticket.IssueAsync("s-verify", "slow.verify@docomo.ne.jp", _clock.GetUtcNow().AddDays(1));
        var registered = await ticket.CompleteAsync(new RegistrationForm("1111-2222", "子", 1, "1", "親", [], "2026-11", "192.0.2.1"));
        var guardian = grains.GetGrain<IGuardianGrain>(registered.GuardianId!);

        Assert.Equal(AddressStatus.Pending, Assert.Single((await guardian.GetAsync())!.Addresses).Status);
        Assert.Empty(await school.ResolveAudienceAsync(Audience.WholeSchool));
        Assert.Equal(1, await _database.RemindersOfAsync(registered.GuardianId!));

        _clock.Advance(TimeSpan.FromMinutes(6));
        await Eventually.TrueAsync(async () => (await school.ResolveAudienceAsync(Audience.WholeSchool)).Count > 0, "retry verifies the address");

        Assert.Equal(AddressStatus.Verified, Assert.Single((await guardian.GetAsync())!.Addresses).Status);
        Assert.Equal(1, _transport.SentTo("slow.verify@docomo.ne.jp"));
        await Eventually.TrueAsync(async () => await _database.RemindersOfAsync(registered.GuardianId!) == 0, "retry reminder removed");
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}
