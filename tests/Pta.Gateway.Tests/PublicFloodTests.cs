using System.Diagnostics;
using System.Net;
using Pta.Testing;
using Xunit.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// "A flood cannot slow an emergency send" (issue 6, item 8): while one address floods the guardian endpoints and is
/// refused with 429, an emergency broadcast started by staff — from that very address — completes to every guardian
/// at the smtp-sink, and a guardian at another address is still served.
/// </summary>
[Collection(RateLimitCollection.Name)]
public sealed class PublicFloodTests(RateLimitFixture fixture, ITestOutputHelper output)
{
    private const int Guardians = 60;
    private const int FloodClients = 4;

    [Fact]
    public async Task An_emergency_broadcast_completes_while_one_address_floods_the_guardian_endpoints()
    {
        // The fixture's first send pays for compiling the send path; the figure compares two warm sends.
        await SendAndWaitAsync(await fixture.CreateTenantAsync(Guardians), fixture.NewAddress());
        var baseline = await SendAndWaitAsync(await fixture.CreateTenantAsync(Guardians), fixture.NewAddress());

        var tenant = await fixture.CreateTenantAsync(Guardians);
        var floodAddress = fixture.NewAddress();
        using var stop = new CancellationTokenSource();
        var flood = new FloodCounts();
        var flooders = Enumerable.Range(0, FloodClients).Select(n => FloodAsync(floodAddress, n, flood, stop.Token)).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(flood.Refused > 0), "flood: the flooding address is refused");

        var during = await SendAndWaitAsync(tenant, floodAddress);
        using var neighbour = fixture.From(fixture.NewAddress());
        using var served = await neighbour.GetAsync($"/api/v1/registrations/{RateLimitTests.UnknownTicket()}");
        var refusedDuringSend = flood.Refused;
        await stop.CancelAsync();
        await Task.WhenAll(flooders);

        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode); // answered, not refused
        Assert.True(flood.Other <= RateLimitFixture.RegistrationPerAddress + RateLimitFixture.ConfirmationPerAddress,
            $"the flooding address was answered {flood.Other} times, more than its two limits allow");
        Assert.True(refusedDuringSend > 100, $"the flood was refused only {refusedDuringSend} times: not much of a flood");
        output.WriteLine($"emergency to {Guardians} guardians: {baseline.TotalSeconds:F2} s without a flood, {during.TotalSeconds:F2} s " +
                         $"while {FloodClients} clients at one address sent {flood.Refused + flood.Other} requests ({flood.Refused} refused with 429)");
    }

    /// <summary>
    /// Sends an emergency from <paramref name="address"/> with the school's credential and waits until every guardian's
    /// mail is at the sink; polling the status from the same address shows staff routes are not limited there either.
    /// </summary>
    private async Task<TimeSpan> SendAndWaitAsync(TestTenant tenant, string address)
    {
        using var staff = fixture.From(address, tenant.SchoolToken);
        var watch = Stopwatch.StartNew();
        using var posted = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("emergency")));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(staff, posted.Headers.Location!.ToString());
        var addresses = tenant.Roster.SelectMany(r => r.BroadcastAddresses).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await fixture.Sink.WaitForAsync(m => addresses.Contains(m.Message.To.Mailboxes.Single().Address) && m.Message.Subject == Requests.Subject,
            addresses.Count, BroadcastPolling.DefaultPatience);
        return watch.Elapsed;
    }

    /// <summary>One flooding client: registration lookups and forged confirmation links, as fast as it is answered.</summary>
    private async Task FloodAsync(string address, int n, FloodCounts counts, CancellationToken stop)
    {
        using var client = fixture.From(address);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var path = (i + n) % 2 == 0 ? $"/api/v1/registrations/{RateLimitTests.UnknownTicket()}" : $"/c/flood{i}";
            using var response = await client.GetAsync(path, CancellationToken.None);
            counts.Count(response.StatusCode);
        }
    }

    private sealed class FloodCounts
    {
        private int _refused;
        private int _other;

        public int Refused => Volatile.Read(ref _refused);

        public int Other => Volatile.Read(ref _other);

        public void Count(HttpStatusCode status) =>
            _ = status == HttpStatusCode.TooManyRequests ? Interlocked.Increment(ref _refused) : Interlocked.Increment(ref _other);
    }
}
