using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Grains.Registration;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// A PTA member list kept by the guardian grain's pushes: opt-in only, contact changes follow at once, and
/// membership ends with graduation or withdrawal, the consent kept with its withdrawal time.
/// </summary>
public sealed class PtaMembershipTests : IAsyncLifetime
{
    private readonly CapturingTransport _transport = new();
    private PostgresTestDatabase _database = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        (_database, _cluster) = await PostgresTestCluster.StartAsync("ptamembers", (services, database) =>
        {
            RegistrationServices.Add(services, database, TimeProvider.System, _transport);
        });
    }

    [Fact]
    public async Task The_PTA_list_follows_the_guardian_and_membership_ends_with_graduation()
    {
        var grains = _cluster.Client;
        var guardian = await RegisterAsync(grains, "s-ptamembers", grade: 2);
        var ptaId = Ids.PtaId("s-ptamembers");
        var pta = grains.GetGrain<IPtaGrain>(ptaId);
        var consent = new ConsentRecord(ConsentRecord.PtaPurpose(ptaId), "2026-11", DateTimeOffset.UtcNow, "192.0.2.10", null);

        Assert.False(await guardian.JoinPtaAsync(ptaId, consent)); // not configured yet
        await pta.ConfigureAsync(new PtaProfile(ptaId, "s-ptamembers", "PTA", "s-ptamembers.pta@mail.test.example", "PTA"));
        await grains.GetGrain<ISchoolGrain>("s-other").ConfigureAsync(new SchoolProfile("s-other", "b", "他校", "s-other@mail.test.example", "他校"));
        await grains.GetGrain<IPtaGrain>(Ids.PtaId("s-other")).ConfigureAsync(new PtaProfile(Ids.PtaId("s-other"), "s-other", "他校PTA", "s-other.pta@mail.test.example", "他校PTA"));
        Assert.False(await guardian.JoinPtaAsync(Ids.PtaId("s-other"), consent with { Purpose = ConsentRecord.PtaPurpose(Ids.PtaId("s-other")) }));
        Assert.Empty(await pta.ResolveAudienceAsync());

        Assert.True(await guardian.JoinPtaAsync(ptaId, consent));
        Assert.True(await guardian.JoinPtaAsync(ptaId, consent)); // again: no second consent
        Assert.Equal(2, (await pta.ResolveAudienceAsync()).Count);
        await guardian.SetAddressAsync(2, null);
        Assert.Single(await pta.ResolveAudienceAsync());
        await guardian.SetReceiveBroadcastsAsync(false);
        Assert.Empty(await pta.ResolveAudienceAsync());
        await guardian.SetReceiveBroadcastsAsync(true);
        Assert.Single(await pta.ResolveAudienceAsync());

        await grains.GetGrain<ISchoolGrain>("s-ptamembers").RollOverAsync(topGrade: 2); // the only child graduates
        Assert.Empty((await pta.GetAsync())!.Members);
        var view = (await guardian.GetAsync())!;
        Assert.Empty(view.Ptas!);
        var recorded = Assert.Single(view.Consents, c => c.Purpose == ConsentRecord.PtaPurpose(ptaId));
        Assert.NotNull(recorded.WithdrawnAt);
    }

    [Fact]
    public async Task Withdrawing_leaves_the_PTA_list_at_once()
    {
        var grains = _cluster.Client;
        var guardian = await RegisterAsync(grains, "s-ptawithdraw", grade: 1);
        var ptaId = Ids.PtaId("s-ptawithdraw");
        var pta = grains.GetGrain<IPtaGrain>(ptaId);
        await pta.ConfigureAsync(new PtaProfile(ptaId, "s-ptawithdraw", "PTA", "s-ptawithdraw.pta@mail.test.example", "PTA"));
        Assert.True(await guardian.JoinPtaAsync(ptaId, new ConsentRecord(ConsentRecord.PtaPurpose(ptaId), "2026-11", DateTimeOffset.UtcNow, "192.0.2.10", null)));
        Assert.Equal(2, (await pta.ResolveAudienceAsync()).Count);

        await guardian.WithdrawAsync();

        Assert.Empty(await pta.ResolveAudienceAsync());
        Assert.All((await guardian.GetAsync())!.Consents, c => Assert.NotNull(c.WithdrawnAt));
    }

    private static async Task<IGuardianGrain> RegisterAsync(IGrainFactory grains, string schoolId, int grade)
    {
        var school = grains.GetGrain<ISchoolGrain>(schoolId);
        await school.ConfigureAsync(new SchoolProfile(schoolId, "b", "PTA小学校", $"{schoolId}@mail.test.example", "PTA小学校"));
        await school.SetAuthCodeAsync(SHA256.HashData(Encoding.UTF8.GetBytes("1111-2222")));
        var ticket = grains.GetGrain<IRegistrationTicketGrain>(Ids.New("rt"));
        await ticket.IssueAsync(schoolId, $"taro.{schoolId}@docomo.ne.jp", DateTimeOffset.UtcNow.AddDays(1));
        var registered = await ticket.CompleteAsync(new RegistrationForm(
            "1111-2222", "山田一郎", grade, "1", "山田太郎", [$"taro.work.{schoolId}@gmail.com"], "2026-11", "192.0.2.10"));
        return grains.GetGrain<IGuardianGrain>(registered.GuardianId!);
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await _database.DisposeAsync();
    }
}
