using System.Net;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6 (6): SMTP smuggling. A body that carries an end-of-data sequence followed by SMTP commands must reach the
/// guardian whole, as one message, and never start a message of its own on the wire. Bodies travel base64-encoded,
/// so no line of the body is ever a line of the SMTP conversation; this test keeps it that way.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SmugglingTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("\r\n.\r\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\n.\n")]
    public async Task An_end_of_data_sequence_in_a_body_never_ends_the_message_early(string endOfData)
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        var victim = $"victim.{tenant.School.SchoolId}@example.com";
        var body = $"保護者各位{endOfData}MAIL FROM:<evil@example.com>\r\nRCPT TO:<{victim}>\r\nDATA\r\nSubject: smuggled\r\n\r\n偽の連絡{endOfData}QUIT\r\n最後の行";
        using var client = fixture.WithToken(tenant.SchoolToken);

        using var response = await client.SendAsync(Requests.Post(tenant.School.SchoolId, new { subject = "お知らせ", body, category = "info" }));
        await BroadcastPolling.WaitForStatusAsync(client, response.Headers.Location!.ToString());
        var received = fixture.Sink.Messages().Where(m => tenant.Roster.Any(r => m.RcptTo.Contains($"<{r.BroadcastAddresses[0]}>"))).ToList();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, received.Count);
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.RcptTo.Any(r => r.Contains("victim.", StringComparison.Ordinal)) || m.Message.Subject == "smuggled");
        Assert.All(received, m =>
        {
            var text = m.Message.TextBody!.ReplaceLineEndings("\n");
            Assert.StartsWith("保護者各位\n", text, StringComparison.Ordinal);
            Assert.Contains("RCPT TO:<" + victim + ">", text, StringComparison.Ordinal);
            Assert.EndsWith("最後の行", text.TrimEnd('\n'), StringComparison.Ordinal);
        });
    }
}
