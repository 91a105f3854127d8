using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>Custom groups (clubs, committees) as broadcast audiences.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GroupTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_broadcast_to_a_club_reaches_only_the_guardians_of_its_members()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 12);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var school = tenant.School.SchoolId;
        var children = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{school}/children")).EnumerateArray()
            .Select(c => c.GetProperty("childId").GetString()!).Take(2).ToArray();

        using var created = await staff.PutAsJsonAsync($"/api/v1/schools/{school}/groups/soccer-club", new { name = "サッカー部", childIds = children });
        using var unknownChild = await staff.PutAsJsonAsync($"/api/v1/schools/{school}/groups/soccer-club", new { name = "x", childIds = new[] { "ch-nobody" } });
        using var badId = await staff.PutAsJsonAsync($"/api/v1/schools/{school}/groups/Soccer_Club", new { name = "x", childIds = children });
        using var send = await staff.SendAsync(Requests.Post(school, Requests.Valid("info", new { groups = new[] { "soccer-club" } })));
        var view = await BroadcastPolling.WaitForStatusAsync(staff, send.Headers.Location!.ToString());
        var groups = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{school}/groups");
        using var removed = await staff.DeleteAsync($"/api/v1/schools/{school}/groups/soccer-club");
        using var toNobody = await staff.SendAsync(Requests.Post(school, Requests.Valid("info", new { groups = new[] { "soccer-club" } })));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("children").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknownChild.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal(2, view.GetProperty("counts").GetProperty("recipients").GetInt32());
        Assert.Equal("サッカー部", Assert.Single(groups.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toNobody.StatusCode);
    }
}
