using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6, item 9: after real use of the production profile, the real <c>pg_dump</c> of the database shows no
/// guardian address, neither as text nor inside a bytea value. Real use here is a roster from the school system, a
/// CSV import, a self-registration by blank mail, and a broadcast with a carrier bounce, plus the two ways an address
/// reaches free text (a carrier echoing it in its reply, staff typing it in an audit reason).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AtRestDumpTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_dump_after_registrations_an_import_and_a_broadcast_with_a_bounce_shows_no_guardian_address()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 4);
        var s = tenant.School.SchoolId[2..];
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var imported = new[] { $"hanako.{s}@docomo.ne.jp", $"hanako.work.{s}@gmail.com", $"taro..sato.{s}.@docomo.ne.jp", $"unknown.{s}@ymobile.ne.jp" };
        var csv = "grade,class,child_name,guardian_name,address1,address2\r\n" +
                  $"1,1,山田一郎,山田花子,{imported[0]},{imported[1]}\r\n" +
                  $"2,1,佐藤三郎,佐藤次郎,{imported[2]},\r\n" +
                  $"3,1,鈴木四郎,鈴木恵,{imported[3]},\r\n"; // refused by the carrier emulator: 550 5.1.1
        using var import = await staff.PostAsync($"/api/v1/schools/{tenant.School.SchoolId}/roster", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var registered = new[] { $"kyodai.{s}@ezweb.ne.jp", $"kyodai.home.{s}@softbank.ne.jp" };
        await GuardianMail.RegisterAsync(fixture, tenant, registered[0], [registered[1]], grade: 4);

        using var broadcast = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid()));
        var view = await BroadcastPolling.WaitForStatusAsync(staff, broadcast.Headers.Location!.ToString());
        var broadcastId = view.GetProperty("id").GetString()!;
        // A carrier that echoes the recipient, as real ones do, and an address typed into an audit reason.
        await fixture.Services.GetRequiredService<IDeliveryLedger>().RecordAsync(
            [new DeliveryOutcome(broadcastId, 0, "echo-1", DeliveryStatus.InvalidAddress, 1, $"550 5.1.1 <{imported[0]}>... Recipient address rejected", DateTimeOffset.UtcNow)],
            CancellationToken.None);
        await fixture.Services.GetRequiredService<IAuditLog>().RecordAsync(
            new AuditEntry(DateTimeOffset.UtcNow, "test", "broadcast.rejected", broadcastId, $"wrong address {registered[1]}"));

        // The detector must be able to fail: plain addresses planted in a scratch table, as text and as bytea.
        var plantedText = $"planted.text.{s}@docomo.ne.jp";
        var plantedBytes = $"planted.bytes.{s}@au.com";
        await fixture.Database.ExecuteAsync("CREATE TABLE at_rest_control (t text, b bytea)");
        try
        {
            await fixture.Database.ExecuteAsync("INSERT INTO at_rest_control VALUES ($1, $2)", plantedText, Encoding.UTF8.GetBytes(plantedBytes.ToUpperInvariant()));
            var dump = await PgDump.DumpAsync(fixture.Database.ConnectionString);
            var guardians = tenant.Roster.SelectMany(r => r.BroadcastAddresses).Concat(imported).Concat(registered).ToList();
            var leaks = PlaintextFinder.Find(dump, guardians.Concat(guardians.Select(LocalPart)));
            var control = PlaintextFinder.Find(dump, [plantedText, plantedBytes]);

            // The data is there, sealed: the broadcast reached an imported and a registered address, bounced one.
            Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(imported[2])(m) && m.Message.Subject == Requests.Subject);
            Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(registered[1])(m) && m.Message.Subject == Requests.Subject);
            Assert.True(view.GetProperty("counts").GetProperty("failed").GetInt32() >= 1, $"phase 'broadcast': the 5.1.1 bounce is counted; {view}");
            Assert.True(await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_broadcast_recipient WHERE broadcast_id = $1", broadcastId) >= imported.Length + registered.Length);
            Assert.Contains("h***@docomo.ne.jp", dump, StringComparison.Ordinal); // the echoed reply, masked
            Assert.Contains("k***@softbank.ne.jp", dump, StringComparison.Ordinal); // the audit reason, masked
            Assert.Equal([(plantedText, "text"), (plantedBytes, "bytea")], control);
            Assert.True(leaks.Count == 0, "plain guardian addresses in the dump: " + string.Join(", ", leaks.Select(l => $"{l.Needle} ({l.Form})")));
        }
        finally
        {
            await fixture.Database.ExecuteAsync("DROP TABLE at_rest_control");
        }
    }

    [Fact]
    public async Task A_production_silo_started_without_at_rest_keys_refuses_naming_the_settings()
    {
        var work = Directory.CreateTempSubdirectory("pta-nokey-").FullName;
        await using var silo = ExternalSilo.Start(new Dictionary<string, string>
        {
            ["Pta:Cluster:Mode"] = "PostgreSql",
            ["Pta:Cluster:ClusterId"] = "no-key",
            ["Pta:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Postgres:ConnectionString"] = fixture.Database.ConnectionString,
            ["Pta:Links:SigningKey"] = Convert.ToBase64String(new byte[32]),
        }, work);

        await Eventually.TrueAsync(() => Task.FromResult(silo.HasExited), "the silo without keys stops", TimeSpan.FromSeconds(60));

        Assert.Contains("Pta:AtRest:Keys is required", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Pta:AtRest:LookupKey", silo.Output, StringComparison.Ordinal);
    }

    private static string LocalPart(string address) => address[..address.LastIndexOf('@')];
}
