using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>The monthly test schedule and maintenance notices through the API (their sending is tested at the grain level).</summary>
[Collection(GatewayCollection.Name)]
public sealed class MonthlyTestApiTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_board_sets_reads_and_stops_its_monthly_test_and_bad_fields_are_named()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        using var board = fixture.WithToken(tenant.BoardToken);
        using var school = fixture.WithToken(tenant.SchoolToken);
        var path = $"/api/v1/boards/{tenant.School.BoardId}/monthly-test";

        using var bad = await board.PutAsJsonAsync(path, new { dayOfMonth = 31, time = "25:00", subject = "テスト\r\n", body = "本文" });
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        using var bySchool = await school.PutAsJsonAsync(path, new { dayOfMonth = 1, time = "10:00", subject = "テスト配信", body = "本文" });
        using var set = await board.PutAsJsonAsync(path, new { dayOfMonth = 1, time = "10:00", subject = "【テスト配信】", body = "毎月のテスト配信です。" });
        var view = await set.Content.ReadFromJsonAsync<JsonElement>();
        var reminders = await fixture.Database.RemindersOfAsync(tenant.School.BoardId);
        using var stop = await board.DeleteAsync(path);
        using var afterStop = await board.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["dayOfMonth", "subject", "time"], errors);
        Assert.Equal(HttpStatusCode.NotFound, bySchool.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var next = view.GetProperty("nextRunAt").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(9));
        Assert.Equal((1, 10, 0), (next.Day, next.Hour, next.Minute));
        Assert.True(next > DateTimeOffset.UtcNow && next < DateTimeOffset.UtcNow.AddDays(32));
        Assert.Equal(1, reminders);
        Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterStop.StatusCode);
    }

    [Fact]
    public async Task A_maintenance_notice_is_accepted_from_the_school_and_refused_from_its_pta()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        using var staff = fixture.WithToken(tenant.SchoolToken);

        using var notice = await staff.SendAsync(Requests.Post(tenant.School.SchoolId,
            new { subject = "システムメンテナンスのお知らせ", body = "12月5日 2時から4時まで停止します。", category = "maintenance" }));
        var done = await BroadcastPolling.WaitForStatusAsync(staff, notice.Headers.Location!.ToString());
        using var pta = await staff.PutAsJsonAsync($"/api/v1/schools/{tenant.School.SchoolId}/pta", new { name = "テストPTA" });
        var ptaRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{tenant.School.SchoolId}/pta/broadcasts")
        {
            Content = JsonContent.Create(new { subject = "メンテナンス", body = "停止します", category = "maintenance" }),
        };
        ptaRequest.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var fromPta = await staff.SendAsync(ptaRequest);

        Assert.Equal(HttpStatusCode.Accepted, notice.StatusCode);
        Assert.Equal("maintenance", done.GetProperty("category").GetString());
        Assert.Equal(3, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, fromPta.StatusCode);
        Assert.True((await fromPta.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("category", out _));
    }
}
