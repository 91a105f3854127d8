using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>The bulk roster path: CSV class lists per school and per city, all-or-nothing, masked on the way out.</summary>
[Collection(GatewayCollection.Name)]
public sealed class RosterImportTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_class_list_imports_in_one_go_siblings_share_a_guardian_and_a_reimport_changes_nothing()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var s = tenant.School.SchoolId[2..];
        var csv = "grade,class,child_name,guardian_name,address1,address2\r\n" +
                  $"1,1,\"山田, 一郎\",山田花子,hanako.{s}@docomo.ne.jp,hanako.work.{s}@gmail.com\r\n" +
                  $"4,2,山田二郎,山田花子,hanako.{s}@docomo.ne.jp,\r\n" +
                  $"4,2,佐藤三郎,佐藤次郎,taro..sato.{s}.@docomo.ne.jp,\r\n";
        using var staff = fixture.WithToken(tenant.SchoolToken);

        var first = await (await PostCsvAsync(staff, $"/api/v1/schools/{tenant.School.SchoolId}/roster", csv)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await PostCsvAsync(staff, $"/api/v1/schools/{tenant.School.SchoolId}/roster", csv)).Content.ReadFromJsonAsync<JsonElement>();
        using var broadcast = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid(audience: new { grades = new[] { 1, 4 } })));
        var view = await BroadcastPolling.WaitForStatusAsync(staff, broadcast.Headers.Location!.ToString());
        var export = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/roster");

        Assert.Equal(3, first.GetProperty("children").GetInt32());
        Assert.Equal(2, first.GetProperty("guardians").GetInt32());
        Assert.Equal(first.ToString(), again.ToString());
        Assert.Equal(3, view.GetProperty("counts").GetProperty("recipients").GetInt32()); // two addresses of 花子 once each, 佐藤 once
        Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To($"taro..sato.{s}.@docomo.ne.jp")(m) && m.Message.Subject == Requests.Subject);
        Assert.Contains("h***@docomo.ne.jp", export, StringComparison.Ordinal);
        Assert.Contains("\"山田, 一郎\"", export, StringComparison.Ordinal);
        Assert.DoesNotContain($"hanako.{s}@docomo.ne.jp", export, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain($"taro..sato.{s}.@docomo.ne.jp", export, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_the_line_and_field_at_fault()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var before = await ChildrenAsync(staff, tenant);

        using var badRow = await PostCsvAsync(staff, $"/api/v1/schools/{tenant.School.SchoolId}/roster",
            "grade,class,child_name,guardian_name,address1\n1,1,ok,ok,ok@docomo.ne.jp\n2,1,ok2,ok2,not an address\n13,1,x,y,z@au.com\n");
        using var noColumn = await PostCsvAsync(staff, $"/api/v1/schools/{tenant.School.SchoolId}/roster", "grade,class,child_name\n1,1,x\n");
        using var notCsv = await staff.PostAsJsonAsync($"/api/v1/schools/{tenant.School.SchoolId}/roster", new { grade = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, badRow.StatusCode);
        var errors = (await badRow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 3: address1", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("line 4: grade", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, noColumn.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notCsv.StatusCode);
        Assert.Equal(before, await ChildrenAsync(staff, tenant));
    }

    [Fact]
    public async Task A_board_imports_a_city_file_for_its_schools_only()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var stranger = await fixture.CreateTenantAsync(guardians: 1);
        var s = tenant.School.SchoolId;
        var csv = "school_id,grade,class,child_name,guardian_name,address1\n" +
                  string.Concat(Enumerable.Range(0, 40).Select(n => $"{s},{n % 6 + 1},1,子{n},親{n},p{n}.{s}@au.com\n"));
        using var board = fixture.WithToken(tenant.BoardToken);
        using var staff = fixture.WithToken(tenant.SchoolToken);

        using var imported = await PostCsvAsync(board, $"/api/v1/boards/{tenant.School.BoardId}/roster", csv);
        using var bySchool = await PostCsvAsync(staff, $"/api/v1/boards/{tenant.School.BoardId}/roster", csv);
        using var foreign = await PostCsvAsync(board, $"/api/v1/boards/{tenant.School.BoardId}/roster",
            $"school_id,grade,class,child_name,guardian_name,address1\n{stranger.School.SchoolId},1,1,x,y,z.{s}@au.com\n");

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(40, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("children").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, bySchool.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(1, await ChildrenAsync(fixture.WithToken(stranger.SchoolToken), stranger));
    }

    private static Task<HttpResponseMessage> PostCsvAsync(HttpClient client, string path, string csv) =>
        client.PostAsync(path, new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<int> ChildrenAsync(HttpClient client, TestTenant tenant) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{tenant.School.SchoolId}/children")).GetArrayLength();
}
