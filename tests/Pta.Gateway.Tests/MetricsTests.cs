using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// <c>/metrics</c> after a real send through smtp-sink and the carrier emulator: the delivery series per carrier, the
/// per-silo series from the cluster's rate grain (exact for this gateway's silo), the latency and queue series, and
/// no address anywhere in the scrape; the cluster API's per-silo send rate and total.
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class MetricsTests(OperationsFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_a_send_metrics_count_each_carrier_and_this_silo_s_share_and_name_no_address()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        var suffix = tenant.School.SchoolId[2..];
        string[] addresses =
        [
            $"a.{suffix}@docomo.ne.jp", $"b.{suffix}@docomo.ne.jp", $"c.{suffix}@docomo.ne.jp",
            $"d.{suffix}@ezweb.ne.jp", $"e.{suffix}@gmail.com", $"unknown.{suffix}@ymobile.ne.jp",
        ];
        await fixture.Grains.GetGrain<ISchoolGrain>(tenant.School.SchoolId).ReplaceRosterAsync(
            [.. addresses.Select((a, n) => new RosterEntry($"m{n}", 1, "1", [a]))]);
        var silo = fixture.Services.GetRequiredService<ILocalSiloDetails>().Name;
        using var scraper = fixture.From("127.0.0.1");
        var before = await ScrapeUntilAsync(scraper, text => PrometheusText.Samples(text, "pta_silo_send_rate_per_second", ("silo", silo)).Count > 0);

        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var sent = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid()));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(staff, sent.Headers.Location!.ToString());

        // The silo reports its totals every 2 s: wait for the report that includes this send.
        var expected = new Dictionary<string, (double Sent, double Bounced)>
        {
            ["docomo"] = (3, 0), ["au"] = (1, 0), ["gmail"] = (1, 0), ["ymobile"] = (0, 1),
        };
        var after = await ScrapeUntilAsync(scraper, text =>
            Delta(before, text, "pta_silo_messages_sent_total", ("silo", silo)) >= 5
            && Delta(before, text, "pta_silo_messages_bounced_total", ("silo", silo)) >= 1);

        foreach (var (carrier, (sentCount, bounced)) in expected)
        {
            Assert.Equal(sentCount, Delta(before, after, "pta_silo_messages_sent_total", ("silo", silo), ("carrier", carrier)));
            Assert.Equal(bounced, Delta(before, after, "pta_silo_messages_bounced_total", ("silo", silo), ("carrier", carrier)));

            // This host's own counters: exactly this send, though other collections' gateways share the process
            // (each host exports only the meters it created: HostMetricsIsolationTests).
            Assert.Equal(sentCount, Delta(before, after, "pta_messages_sent_total", ("carrier", carrier)));
            Assert.Equal(bounced, Delta(before, after, "pta_messages_bounced_total", ("carrier", carrier)));
        }

        Assert.Equal(0, Delta(before, after, "pta_silo_messages_failed_total", ("silo", silo)));
        Assert.True(Delta(before, after, "pta_fanout_message_duration_seconds_count", ("carrier", "docomo")) >= 3);
        Assert.True(Delta(before, after, "pta_fanout_duration_seconds_count", ("category", "emergency")) >= 1);
        Assert.True(Delta(before, after, "pta_ledger_write_duration_seconds_count") >= 1);
        foreach (var series in new[]
                 {
                     "pta_ledger_queue_depth", "pta_shards_running", "pta_smtp_connections_in_use", "pta_smtp_lane_waiters",
                     "pta_smtp_connections_opened_total", "pta_cluster_silos_reporting",
                 })
        {
            Assert.True(PrometheusText.Samples(after, series).Count > 0, $"{series} missing from /metrics");
        }

        Assert.Single(PrometheusText.Samples(after, "pta_silo_send_rate_per_second", ("silo", silo)));
        Assert.Contains(after.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal)); // Orleans' own meter
        Assert.Contains(after.Split('\n'), l => l.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.DoesNotContain("@", after, StringComparison.Ordinal); // no address, in a tag or anywhere else
        Assert.DoesNotContain(suffix, after, StringComparison.Ordinal); // nor a school or board id

        // The console's cluster view: this silo's total and a send rate above 0 (the send is within the rate's window).
        using var board = fixture.WithToken(tenant.BoardToken);
        var view = await board.GetFromJsonAsync<JsonElement>($"/api/v1/boards/{tenant.School.BoardId}/cluster");
        var own = view.GetProperty("silos").EnumerateArray().Single(s => s.GetProperty("name").GetString() == silo);
        Assert.True(own.GetProperty("sent").GetInt64() >= 5, own.ToString());
        Assert.True(own.GetProperty("sentPerSecond").GetDouble() > 0, own.ToString());
    }

    private static double Delta(string before, string after, string name, params (string Key, string Value)[] labels) =>
        PrometheusText.Sum(after, name, labels) - PrometheusText.Sum(before, name, labels);

    internal static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var text = await ScrapeAsync(client);
            if (done(text))
            {
                return text;
            }

            Assert.True(DateTime.UtcNow < deadline, "the per-silo series did not show this silo's report within 30 s (silo report → rate grain → /metrics)");
            await Task.Delay(500);
        }
    }
}
