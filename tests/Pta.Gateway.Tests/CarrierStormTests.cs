using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;
using Xunit.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6 (4): a storm of refusals. The engine believes docomo and au take 200 messages a second; the carriers (the
/// emulator) take 30, and past that docomo answers <c>421 4.7.0</c> and au resets the connection, as au does when
/// congested; both also refuse a third concurrent session. Every refusal is a deferral that is retried; the broadcast
/// still reaches everyone, and a message that reached a carrier twice keeps its Message-ID.
/// </summary>
public sealed class CarrierStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerCarrier = 150;
    private CarrierEmulator _carrier = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public async Task InitializeAsync()
    {
        _carrier = await CarrierEmulator.StartAsync(
            """
            {"carriers": {
              "docomo": {"rate_per_second": 30, "burst": 3, "max_connections": 2, "throttle": "421", "overload": "421"},
              "au": {"rate_per_second": 30, "burst": 3, "max_connections": 2, "throttle": "reset", "overload": "reset"}}}
            """);
        var settings = new Dictionary<string, string>
        {
            ["Pta:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Pta:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // Direct routes, one pool per carrier, as production sends to carriers' MXs; each pool opens more
            // connections than its carrier allows, so the "too many connections" refusals are part of the storm.
            ["Pta:Smtp:Host"] = "127.0.0.1",
            ["Pta:Smtp:Port"] = _carrier.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Routes:Docomo:Host"] = "127.0.0.1",
            ["Pta:Smtp:Routes:Docomo:Port"] = _carrier.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Routes:Docomo:Connections"] = "4",
            ["Pta:Smtp:Routes:Au:Host"] = "127.0.0.1",
            ["Pta:Smtp:Routes:Au:Port"] = _carrier.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Routes:Au:Connections"] = "4",
            ["Pta:Shaping:Enabled"] = "true",
            ["Pta:Shaping:Carriers:Docomo:MessagesPerSecond"] = "200",
            ["Pta:Shaping:Carriers:Au:MessagesPerSecond"] = "200",
            ["Pta:Delivery:ShardSize"] = "50",
            ["Pta:Demo:Seed"] = "false",
            ["Pta:DataDirectory"] = Path.Combine(TestEnvironment.ScratchDirectory, "storm-" + Guid.NewGuid().ToString("N")),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Pta.Grains.Delivery.SmtpMailTransport"] = "Error", // one line per refusal: hundreds
        };
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            // Retries within seconds, not the production 20 s, so the storm plays out in a test's time.
            web.ConfigureTestServices(services => services.PostConfigure<DeliveryOptions>(o =>
                o.UrgentRetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)]));
        });
        _ = _gateway.Server;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_storm_of_421s_and_resets_is_retried_until_every_guardian_is_reached_once_per_message_id()
    {
        var grains = _gateway.Services.GetRequiredService<IGrainFactory>();
        var school = new SchoolProfile("s-storm", "b-storm", "嵐試験小学校", "s-storm@mail.test-city.example", "嵐試験小学校");
        await grains.GetGrain<ISchoolGrain>("s-storm").ConfigureAsync(school);
        var addresses = Enumerable.Range(0, PerCarrier)
            .SelectMany(n => new[] { $"storm{n:D3}@docomo.ne.jp", $"storm{n:D3}@ezweb.ne.jp" })
            .ToList();
        await grains.GetGrain<ISchoolGrain>("s-storm").ReplaceRosterAsync([.. addresses.Select((a, n) => new RosterEntry($"g{n:D4}", 1, "1", [a]))]);
        using var staff = _gateway.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", await ApiCredentials.IssueAsync(grains, CredentialRole.School, "b-storm", "s-storm", "staff"));

        using var response = await staff.SendAsync(Requests.Post("s-storm", Requests.Valid("emergency")));
        JsonElement done;
        try
        {
            done = await BroadcastPolling.WaitForStatusAsync(staff, response.Headers.Location!.ToString(), "completed", TimeSpan.FromSeconds(180));
        }
        catch (TimeoutException)
        {
            output.WriteLine(string.Join('\n', _carrier.Log.Split('\n').TakeLast(40))); // what the carriers said last
            throw;
        }

        var taken = _carrier.LedgerEntries();
        var log = _carrier.Log.Split('\n');
        var refused421 = log.Count(l => l.Contains(" throttled ", StringComparison.Ordinal) && l.Contains(": 421", StringComparison.Ordinal));
        var resets = log.Count(l => l.StartsWith("EMULATOR reset", StringComparison.Ordinal));
        var duplicates = taken.Count - taken.Select(e => e.MessageId).Distinct().Count();
        output.WriteLine($"STORM recipients={addresses.Count} taken={taken.Count} refused_421={refused421} resets={resets} " +
                         $"lost={addresses.Count(a => !taken.Any(e => e.Recipients.Contains(a)))} duplicates={duplicates}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(refused421 >= 20, $"only {refused421} 421s: no storm"); // the storm did happen, on both carriers
        Assert.True(resets >= 20, $"only {resets} resets: no storm");
        Assert.Equal(addresses.Count, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(0, done.GetProperty("counts").GetProperty("failed").GetInt32());
        Assert.All(addresses, a => Assert.Contains(taken, e => e.Recipients.Contains(a)));
        // A message taken twice (a reset after the carrier took it) is the same message: one Message-ID per guardian.
        Assert.Equal(addresses.Count, taken.Select(e => e.MessageId).Distinct().Count());
        Assert.All(taken.GroupBy(e => e.MessageId), g => Assert.Single(g.SelectMany(e => e.Recipients).Distinct()));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _carrier.DisposeAsync();
    }
}
