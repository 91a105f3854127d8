using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>
/// Issue 6 (5): a school system that retries hard must still send once. The broadcast id is derived from the
/// Idempotency-Key, so every concurrent retry lands on one grain, which serialises them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class IdempotencyTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_hundred_concurrent_posts_with_one_key_make_one_broadcast_and_one_mail_per_guardian()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 5);
        using var client = fixture.WithToken(tenant.SchoolToken);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await client.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid(), key));
            return (response.StatusCode, Location: response.Headers.Location?.ToString());
        }));
        var location = responses[0].Location!;
        await BroadcastPolling.WaitForStatusAsync(client, location);
        using var otherBody = await client.SendAsync(Requests.Post(tenant.School.SchoolId, new { subject = "別件", body = "別の本文", category = "info" }, key));
        var problem = await otherBody.Content.ReadFromJsonAsync<JsonElement>();
        await Task.Delay(500); // a second broadcast, had there been one, would be sending by now

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(responses.Select(r => r.Location).Distinct());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
        Assert.All(tenant.Roster, r => Assert.Single(fixture.Sink.Messages(), m => m.RcptTo.Contains($"<{r.BroadcastAddresses[0]}>")));
    }
}
