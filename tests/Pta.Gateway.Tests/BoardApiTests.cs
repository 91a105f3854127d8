using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>A board registers its schools; nobody else can.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BoardApiTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_board_registers_a_school_that_then_appears_in_its_list_and_only_there()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var other = await fixture.CreateTenantAsync(guardians: 1);
        var boardId = tenant.School.BoardId;
        var schoolId = $"new-{tenant.School.SchoolId}";
        var body = new { name = "テスト市立北小学校", senderAddress = $"{schoolId}@mail.test-city.example", senderName = "北小学校" };
        using var board = fixture.WithToken(tenant.BoardToken);

        using var created = await board.PutAsJsonAsync($"/api/v1/boards/{boardId}/schools/{schoolId}", body);
        var list = await board.GetFromJsonAsync<JsonElement>($"/api/v1/boards/{boardId}/schools");
        using var byStaff = await fixture.WithToken(tenant.SchoolToken).PutAsJsonAsync($"/api/v1/boards/{boardId}/schools/{schoolId}", body);
        using var byOtherBoard = await fixture.WithToken(other.BoardToken).PutAsJsonAsync($"/api/v1/boards/{boardId}/schools/{schoolId}", body);
        using var stolen = await fixture.WithToken(other.BoardToken).PutAsJsonAsync($"/api/v1/boards/{other.School.BoardId}/schools/{schoolId}", body);
        using var plusSender = await board.PutAsJsonAsync($"/api/v1/boards/{boardId}/schools/{schoolId}", body with { });
        using var badSender = await board.PutAsJsonAsync($"/api/v1/boards/{boardId}/schools/{schoolId}",
            new { name = "x", senderAddress = "a+b@mail.test-city.example", senderName = "x" });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("schoolId").GetString() == schoolId);
        Assert.Equal(HttpStatusCode.NotFound, byStaff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherBoard.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plusSender.StatusCode); // same body again: idempotent
        Assert.Equal(HttpStatusCode.BadRequest, badSender.StatusCode);
        Assert.True((await badSender.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("senderAddress", out _));
    }
}
