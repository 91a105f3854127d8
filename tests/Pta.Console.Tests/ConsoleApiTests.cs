using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Testing;

namespace Pta.Console.Tests;

/// <summary>
/// The endpoints the console added, over real HTTP to the Kestrel port: who a credential is, the live audience count
/// (the same count the send then has), a draft's text for the approver, the server-sent progress stream, and the
/// console page's headers. Bad input is a problem details answer naming the parameter; other tenants get 404.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleApiTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_session_names_the_caller_and_only_the_schools_it_reaches()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 6);
        var principal = await Client(tenant.PrincipalToken).GetFromJsonAsync<JsonElement>("/api/v1/session");
        Assert.Equal("school", principal.GetProperty("role").GetString());
        Assert.Equal([tenant.School.SchoolId], principal.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetString()));
        var op = await Client(tenant.OperatorToken).GetFromJsonAsync<JsonElement>("/api/v1/session");
        Assert.Equal("operator", op.GetProperty("role").GetString());
        Assert.Equal("教頭 佐藤", op.GetProperty("label").GetString());
        var board = await Client(tenant.BoardToken).GetFromJsonAsync<JsonElement>("/api/v1/session");
        Assert.Equal("テスト市教育委員会", board.GetProperty("boardName").GetString());
        Assert.Equal(
            new[] { tenant.School.SchoolId, tenant.OtherSchool.SchoolId }.Order(),
            board.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetString()).Order());
        using var anonymous = await new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) }.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_audience_preview_counts_what_the_broadcast_then_sends_and_names_a_bad_parameter()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 24);
        using var staff = Client(tenant.PrincipalToken);
        var path = $"/api/v1/schools/{tenant.School.SchoolId}/audience";
        var whole = await staff.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(24, whole.GetProperty("households").GetInt32());
        Assert.Equal(12, whole.GetProperty("classes").GetArrayLength()); // grades 1–6, classes 1 and 2
        var chosen = await staff.GetFromJsonAsync<JsonElement>(path + "?grade=1&class=3-2");
        var expected = tenant.Roster.Count(r => r.Grade == 1 || (r.Grade == 3 && r.Class == "2"));
        Assert.Equal(expected, chosen.GetProperty("households").GetInt32());

        using var sent = await SubmitAsync(staff, tenant.School.SchoolId,
            new { subject = "学年連絡", body = "本文", category = "info", audience = new { grades = new[] { 1 }, classes = new[] { new { grade = 3, @class = "2" } } } });
        var view = await BroadcastPolling.WaitForStatusAsync(staff, sent.Headers.Location!.ToString());
        Assert.Equal(chosen.GetProperty("addresses").GetInt32(), view.GetProperty("counts").GetProperty("recipients").GetInt32());

        foreach (var (query, field) in new[] { ("grade=13", "grade"), ("grade=one", "grade"), ("class=3", "class"), ("class=0-1", "class"), ("group=Not_A_Group", "group") })
        {
            using var bad = await staff.GetAsync($"{path}?{query}");
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)bad.StatusCode} {problem}");
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: the problem names '{field}': {problem}");
        }

        using var other = await Client(tenant.OtherPrincipalToken).GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_drafts_text_is_readable_by_its_school_and_the_progress_stream_is_server_sent_events_that_end_when_nothing_can_change()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 6);
        using var op = Client(tenant.OperatorToken);
        using var draft = await SubmitAsync(op, tenant.School.SchoolId, new { subject = "遠足の延期", body = "雨天のため遠足を延期します。", category = "info" });
        var location = draft.Headers.Location!.ToString();
        var text = await Client(tenant.PrincipalToken).GetFromJsonAsync<JsonElement>(location + "/text");
        Assert.Equal("雨天のため遠足を延期します。", text.GetProperty("body").GetString());
        Assert.Equal("info", text.GetProperty("category").GetString());
        using (var foreign = await Client(tenant.OtherPrincipalToken).GetAsync(location + "/text"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        using var principal = Client(tenant.PrincipalToken);
        using (var approved = await principal.PostAsync(location + "/approve", null))
        {
            approved.EnsureSuccessStatusCode();
        }

        await BroadcastPolling.WaitForStatusAsync(principal, location);
        using var stream = await principal.GetAsync(location + "/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var body = await stream.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(30)); // ends: completed, no confirmation asked
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var last = events[^1].Split('\n');
        Assert.Contains("event: progress", last);
        Assert.Contains(last, l => l.StartsWith("id: ", StringComparison.Ordinal));
        Assert.Contains(last, l => l.StartsWith("retry: ", StringComparison.Ordinal));
        var data = JsonDocument.Parse(last.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement;
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal(100, data.GetProperty("attemptedPercent").GetDouble());
        Assert.Equal(6, data.GetProperty("counts").GetProperty("sent").GetInt32());

        using var foreignStream = await Client(tenant.OtherPrincipalToken).GetAsync(location + "/events");
        Assert.Equal(HttpStatusCode.NotFound, foreignStream.StatusCode);
        Assert.Equal("application/problem+json", foreignStream.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_school_operator_sees_only_their_schools_part_of_a_board_broadcasts_report_and_phone_list()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 6);
        using var board = Client(tenant.BoardToken);
        using var sent = await board.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/boards/{tenant.School.BoardId}/broadcasts")
        {
            Content = JsonContent.Create(new { subject = "市内一斉", body = "本文", category = "emergency", requireConfirmation = true }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var location = sent.Headers.Location!.ToString();
        await BroadcastPolling.WaitForStatusAsync(board, location);
        using var op = Client(tenant.OperatorToken);
        var report = await op.GetFromJsonAsync<JsonElement>(location + "/report");
        Assert.Equal([tenant.School.SchoolId], report.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetString()));
        var phoneList = await op.GetStringAsync(location + "/unconfirmed.csv");
        Assert.DoesNotContain(tenant.OtherSchool.SchoolId, phoneList, StringComparison.Ordinal);
        Assert.Contains(tenant.School.SchoolId, phoneList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_page_is_served_by_the_gateway_with_a_strict_policy_and_no_store()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        using var page = await anonymous.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        using var script = await anonymous.GetAsync("/console/js/main.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    internal static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string schoolId, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{schoolId}/broadcasts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }
}
