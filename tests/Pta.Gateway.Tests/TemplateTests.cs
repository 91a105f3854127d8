using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Templates: a broadcast names one with values, the gateway renders it, and the guardians get the rendered text;
/// a school's template beats its board's, which beats the built-in one; a bad template or value is 400 naming the field.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TemplateTests(GatewayFixture fixture)
{
    private const string Closure = "rinji-kyuko";
    private static readonly Dictionary<string, string> ClosureValues = new() { ["日付"] = "11月22日（金）", ["理由"] = "台風の接近" };

    [Fact]
    public async Task A_built_in_template_with_values_reaches_the_guardians_as_rendered_text_with_an_encoded_subject()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 6);
        using var staff = fixture.WithToken(tenant.SchoolToken);

        using var response = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, new { template = Closure, values = ClosureValues }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await BroadcastPolling.WaitForStatusAsync(staff, response.Headers.Location!.ToString());
        var received = await MailsAsync(tenant, 6);

        Assert.Equal("emergency", done.GetProperty("category").GetString()); // the template's category, none was given
        Assert.All(received, m =>
        {
            Assert.Equal("【臨時休校】11月22日（金）は臨時休校とします", m.Message.Subject);
            var body = m.Message.TextBody!.ReplaceLineEndings("\n");
            Assert.Contains("台風の接近のため、11月22日（金）は臨時休校とします。", body, StringComparison.Ordinal);
            Assert.EndsWith(tenant.School.Name, body.TrimEnd('\n'), StringComparison.Ordinal); // {発信者}: the school's name
            Assert.DoesNotContain("{", body, StringComparison.Ordinal);

            // On the wire the Japanese subject is an RFC 2047 encoded word in UTF-8, never raw 8-bit text.
            var subjectLine = m.Raw.ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("Subject:", StringComparison.Ordinal));
            Assert.Contains("=?utf-8?", subjectLine, StringComparison.OrdinalIgnoreCase);
            Assert.True(subjectLine.All(char.IsAscii), $"subject header is not 7-bit: {subjectLine}");
        });
    }

    [Fact]
    public async Task A_school_template_beats_the_boards_which_beats_the_built_in_one_for_lists_and_broadcasts()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var board = fixture.WithToken(tenant.BoardToken);
        var schoolTemplates = $"/api/v1/schools/{tenant.School.SchoolId}/templates";
        var boardTemplates = $"/api/v1/boards/{tenant.School.BoardId}/templates";

        Assert.Equal("builtIn", (await SourceAndSubjectAsync(staff, $"{schoolTemplates}/{Closure}")).Source);
        using (var put = await board.PutAsJsonAsync($"{boardTemplates}/{Closure}", Template("【市教委】{日付}休校", "{理由}のため休校。\n{教育委員会名}")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode); // the board's own template, with a built-in one's id
        }

        Assert.Equal(("board", "【市教委】{日付}休校"), await SourceAndSubjectAsync(staff, $"{schoolTemplates}/{Closure}"));
        using (var put = await staff.PutAsJsonAsync($"{schoolTemplates}/{Closure}", Template("【学校】{日付}休校", "{理由}のため休校。\n{学校名}")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var boardEditsSchool = await board.PutAsJsonAsync($"{schoolTemplates}/{Closure}", Template("上書き", "上書き")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, boardEditsSchool.StatusCode);
        }

        Assert.Equal(("school", "【学校】{日付}休校"), await SourceAndSubjectAsync(board, $"{schoolTemplates}/{Closure}")); // the board reads its school's
        Assert.Equal(("board", "【市教委】{日付}休校"), await SourceAndSubjectAsync(board, $"{boardTemplates}/{Closure}"));
        var list = await staff.GetFromJsonAsync<JsonElement>(schoolTemplates);
        Assert.Single(list.EnumerateArray(), t => t.GetProperty("templateId").GetString() == Closure); // replaced in place, not listed twice
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("templateId").GetString() == "monthly-test");

        // A school broadcast renders the school's text, a board broadcast the board's.
        using (var sent = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, new { template = Closure, values = ClosureValues })))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            await BroadcastPolling.WaitForStatusAsync(staff, sent.Headers.Location!.ToString());
        }

        Assert.All(await MailsAsync(tenant, 3), m => Assert.Equal("【学校】11月22日（金）休校", m.Message.Subject));
        using (var sent = await board.SendAsync(BoardPost(tenant.School.BoardId, new { template = Closure, values = ClosureValues })))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            await BroadcastPolling.WaitForStatusAsync(board, sent.Headers.Location!.ToString());
        }

        var boardMails = (await MailsAsync(tenant, 6)).Where(m => m.Message.Subject == "【市教委】11月22日（金）休校").ToList();
        Assert.Equal(3, boardMails.Count);
        Assert.All(boardMails, m => Assert.EndsWith("テスト市教育委員会", m.Message.TextBody!.TrimEnd(), StringComparison.Ordinal));

        // Removing the school's own template brings the board's back; a built-in one cannot be removed.
        using (var deleted = await staff.DeleteAsync($"{schoolTemplates}/{Closure}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal("board", (await SourceAndSubjectAsync(staff, $"{schoolTemplates}/{Closure}")).Source);
        using var builtIn = await staff.DeleteAsync($"{schoolTemplates}/jishin");
        Assert.Equal(HttpStatusCode.NotFound, builtIn.StatusCode);
    }

    [Fact]
    public async Task An_unknown_template_or_a_missing_or_multi_line_value_is_400_naming_the_field_and_nothing_is_sent()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var board = fixture.WithToken(tenant.BoardToken);
        var cases = new (string What, HttpClient Client, Func<string, HttpRequestMessage> Request, string Field)[]
        {
            ("unknown template", staff, key => Requests.Post(tenant.School.SchoolId, new { template = "no-such-template", values = ClosureValues }, key), "template"),
            ("unknown template (board)", board, key => BoardPost(tenant.School.BoardId, new { template = "no-such-template" }, key), "template"),
            ("missing value", staff, key => Requests.Post(tenant.School.SchoolId, new { template = Closure, values = new { 日付 = "11月22日" } }, key), "values.理由"),
            ("missing value (board)", board, key => BoardPost(tenant.School.BoardId, new { template = "fushinsha", values = new { 日付 = "本日", 時刻 = "7時", 内容 = "黒い服" } }, key), "values.場所"),
            ("line break in a subject value", staff, key => Requests.Post(tenant.School.SchoolId, new { template = Closure, values = new { 日付 = "11月22日\r\nBcc: x@example.com", 理由 = "台風" } }, key), "values.日付"),
            ("values without a template", staff, key => Requests.Post(tenant.School.SchoolId, new { subject = "件名", body = "本文", category = "info", values = ClosureValues }, key), "values"),
        };

        foreach (var (what, client, request, field) in cases)
        {
            var key = Guid.NewGuid().ToString();
            using var response = await client.SendAsync(request(key));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what}: no error for '{field}' in {problem}");
            Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(Ids.BroadcastId(tenant.School.SchoolId, key)).GetAsync());
            Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(Ids.BroadcastId($"board/{tenant.School.BoardId}", key)).GetAsync());
        }

        // A template that does not parse is refused when it is written, not when it is needed.
        using var broken = await staff.PutAsJsonAsync($"/api/v1/schools/{tenant.School.SchoolId}/templates/broken", Template("件名", "閉じない {日付"));
        var brokenProblem = await broken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.True(brokenProblem.GetProperty("errors").TryGetProperty("body", out _), brokenProblem.ToString());
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.RcptTo.Any(r => r.Contains(tenant.School.SchoolId[2..], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retrying_a_template_request_with_the_same_key_is_the_same_broadcast()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var locations = new List<string>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var response = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, new { template = Closure, values = ClosureValues }, "template-retry"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            locations.Add(response.Headers.Location!.ToString());
        }

        await BroadcastPolling.WaitForStatusAsync(staff, locations[0]);
        Assert.Single(locations.Distinct());
        Assert.Equal(2, (await MailsAsync(tenant, 2)).Count);
    }

    private static object Template(string subject, string body) => new { name = "臨時休校", category = "emergency", subject, body };

    private static async Task<(string Source, string Subject)> SourceAndSubjectAsync(HttpClient client, string url)
    {
        var view = await client.GetFromJsonAsync<JsonElement>(url);
        return (view.GetProperty("source").GetString()!, view.GetProperty("subject").GetString()!);
    }

    internal static HttpRequestMessage BoardPost(string boardId, object body, string? idempotencyKey = null) =>
        new(HttpMethod.Post, $"/api/v1/boards/{boardId}/broadcasts")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString() } },
        };

    private async Task<IReadOnlyList<SinkMessage>> MailsAsync(TestTenant tenant, int count)
    {
        var suffix = tenant.School.SchoolId[2..];
        return await fixture.Sink.WaitForAsync(m => m.RcptTo.Any(r => r.Contains(suffix, StringComparison.Ordinal)), count, TimeSpan.FromSeconds(30));
    }
}
