using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// What the multi-process tests share: the settings every process of one PostgreSQL cluster is started with (database,
/// SMTP sink, link and at-rest keys), a gateway with its co-hosted silo on them, and waiting for the membership to
/// reach a number of silos through the gateway's <c>/health</c>.
/// </summary>
internal static class PostgresCluster
{
    public static Dictionary<string, string> SharedSettings(string clusterId, PostgresTestDatabase database, SmtpSink sink)
    {
        var shared = new Dictionary<string, string>
        {
            ["Pta:Cluster:Mode"] = "PostgreSql",
            ["Pta:Cluster:ClusterId"] = clusterId,
            ["Pta:Postgres:ConnectionString"] = database.ConnectionString,
            ["Pta:Smtp:Host"] = "127.0.0.1",
            ["Pta:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Links:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestAtRestKeys.Settings)
        {
            shared[key] = value; // every process of the cluster seals and opens with the same keys
        }

        return shared;
    }

    /// <summary>A gateway co-hosting a silo on free ports, sending with EHLO <paramref name="helo"/>; <paramref name="own"/> only for it.</summary>
    public static WebApplicationFactory<Program> Gateway(
        IReadOnlyDictionary<string, string> shared, string helo, IReadOnlyDictionary<string, string>? own = null)
    {
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in shared.Concat(own ?? new Dictionary<string, string>()))
            {
                web.UseSetting(key, value);
            }

            web.UseSetting("Pta:Cluster:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Pta:Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Pta:Smtp:HeloName", helo);
            web.UseSetting("Pta:Demo:Seed", "false");
        });
        _ = gateway.Server;
        return gateway;
    }

    /// <summary>
    /// Waits until the gateway counts <paramref name="expected"/> active silos (at least, or exactly), while
    /// <paramref name="stillHopeful"/> holds; the timeout names what <paramref name="context"/> returns.
    /// </summary>
    public static async Task WaitForActiveSilosAsync(
        HttpClient client, int expected, TimeSpan patience, Func<string> context, bool exactly = false, Func<bool>? stillHopeful = null)
    {
        var deadline = DateTime.UtcNow + patience;
        var seen = 0;
        while (DateTime.UtcNow < deadline && (stillHopeful?.Invoke() ?? true))
        {
            using var health = await client.GetAsync("/health");
            if (health.IsSuccessStatusCode)
            {
                seen = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activeSilos").GetInt32();
                if (exactly ? seen == expected : seen >= expected)
                {
                    return;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Phase 'membership': {seen} silos active, waiting for {expected}, after {patience}.\n{context()}");
    }
}
