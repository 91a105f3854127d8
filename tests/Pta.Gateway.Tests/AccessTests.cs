using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>A broadcast is visible to its school and its board, and to nobody else (who sees 404, not 403).</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccessTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_broadcast_is_readable_by_its_school_and_board_only()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        var other = await fixture.CreateTenantAsync(guardians: 3);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var response = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info")));
        var location = response.Headers.Location!.ToString();

        using var board = fixture.WithToken(tenant.BoardToken);
        using var otherStaff = fixture.WithToken(other.SchoolToken);
        using var otherBoard = fixture.WithToken(other.BoardToken);
        using var anonymous = fixture.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await board.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherStaff.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBoard.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/v1/broadcasts/bc-000000000000000000000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/api/v1/broadcasts/not-an-id")).StatusCode);
        var view = await (await staff.GetAsync(location)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(tenant.School.SchoolId, view.GetProperty("schoolId").GetString());
        Assert.Equal(3, view.GetProperty("counts").GetProperty("recipients").GetInt32());
    }
}
