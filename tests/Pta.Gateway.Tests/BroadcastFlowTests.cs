using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Testing;

namespace Pta.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class BroadcastFlowTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_broadcast_to_50_guardians_arrives_at_the_smtp_server_once_each_addressed_to_one_guardian()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 50);
        using var client = fixture.WithToken(tenant.SchoolToken);

        using var response = await client.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location?.ToString();
        Assert.NotNull(location);
        var done = await BroadcastPolling.WaitForStatusAsync(client, location, "completed");
        var received = MessagesFor(tenant);

        Assert.Equal(50, done.GetProperty("counts").GetProperty("recipients").GetInt32());
        Assert.Equal(50, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(50, received.Count);
        Assert.Equal(tenant.Roster.Select(r => r.BroadcastAddresses[0]).Order(), received.Select(m => m.Message.To.Mailboxes.Single().Address).Order());
        Assert.Equal(50, received.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.All(received, m =>
        {
            var to = Assert.Single(m.Message.To.Mailboxes).Address;
            Assert.Equal($"<{to}>", Assert.Single(m.RcptTo));
            Assert.Equal($"<{tenant.School.SenderAddress}>", m.MailFrom);
            Assert.Equal(tenant.School.SenderAddress, Assert.Single(m.Message.From.Mailboxes).Address);
            Assert.Empty(m.Message.Cc);
            Assert.Equal(Requests.Subject, m.Message.Subject);
            Assert.Equal(Requests.Body, m.Message.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));
            Assert.Single(tenant.Roster, r => m.Raw.Contains(r.BroadcastAddresses[0], StringComparison.OrdinalIgnoreCase)); // no other guardian's address
        });
    }

    [Fact]
    public async Task Retrying_with_the_same_idempotency_key_returns_the_same_broadcast_and_sends_once()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 6);
        using var client = fixture.WithToken(tenant.SchoolToken);

        var locations = new List<string?>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var response = await client.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid(), "same-key-1"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            locations.Add(response.Headers.Location?.ToString());
        }

        using var reused = await client.SendAsync(Requests.Post(tenant.School.SchoolId, new { subject = "別件", body = "別の本文", category = "info" }, "same-key-1"));
        await BroadcastPolling.WaitForStatusAsync(client, locations[0]!, "completed");

        Assert.Single(locations.Distinct());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(6, MessagesFor(tenant).Count);
    }

    [Fact]
    public async Task A_board_credential_sends_to_its_school_and_an_audience_picks_one_grade()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 24);
        using var board = fixture.WithToken(tenant.BoardToken);

        using var response = await board.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("safety", new { grades = new[] { 2 } })));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await BroadcastPolling.WaitForStatusAsync(board, response.Headers.Location!.ToString(), "completed");

        var grade2 = tenant.Roster.Where(r => r.Grade == 2).Select(r => r.BroadcastAddresses[0]).Order().ToList();
        Assert.Equal(4, grade2.Count);
        Assert.Equal(grade2, MessagesFor(tenant).Select(m => m.Message.To.Mailboxes.Single().Address).Order());
        Assert.Equal("safety", done.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Health_answers_200_when_the_cluster_answers_and_the_openapi_document_describes_the_api()
    {
        using var client = fixture.Anonymous();

        using var health = await client.GetAsync("/health");
        using var openApi = await client.GetAsync("/openapi/v1.json");
        using var docs = await client.GetAsync("/docs/index.html");
        var document = await openApi.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(1, (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("activeSilos").GetInt32());
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/schools/{schoolId}/broadcasts", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/broadcasts/{broadcastId}", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    private List<SinkMessage> MessagesFor(TestTenant tenant)
    {
        var suffix = tenant.School.SchoolId[2..];
        return [.. fixture.Sink.Messages().Where(m => m.RcptTo.Any(r => r.Contains(suffix, StringComparison.Ordinal)))];
    }
}
