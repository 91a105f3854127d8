using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pta.Gateway.Roster;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Confirmation;

namespace Pta.Gateway.Tests;

/// <summary>
/// Reports and the phone-call list after a real board broadcast with read confirmation (issue 5 §5–6): one address
/// bounces at the carrier emulator (550 5.1.1), confirmations are recorded through the registered store, one guardian
/// switches broadcasts off afterwards, one child has no verified address. See <see cref="ReportCity"/>.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BroadcastReportTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_report_counts_households_addresses_deliveries_bounces_and_confirmations_exactly_per_school_and_class()
    {
        var (city, id) = await SentWithConfirmationsAsync();
        using var board = fixture.WithToken(city.BoardToken);

        var report = await board.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}/report");

        Assert.Equal("completed", report.GetProperty("status").GetString());
        // households, addresses, delivered, deferred, bounced, pending, reached, confirmed, confirmed %
        Assert.Equal((7, 8, 7, 0, 1, 0, 6, 3, 42.9), Counts(report.GetProperty("totals")));
        var schools = report.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetString()!);
        Assert.Equal([city.A.SchoolId, city.B.SchoolId], schools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(city.A.Name, schools[city.A.SchoolId].GetProperty("schoolName").GetString());
        Assert.Equal((5, 6, 5, 0, 1, 0, 4, 2, 40.0), Counts(schools[city.A.SchoolId].GetProperty("counts")));
        Assert.Equal((2, 2, 2, 0, 0, 0, 2, 1, 50.0), Counts(schools[city.B.SchoolId].GetProperty("counts")));

        // 佐藤花子 (two addresses, confirmed) has children in 1-1 and 2-1 and counts in both; 高橋 was not in the audience.
        Assert.Equal(
            [
                ("1-1", (2, 3, 3, 0, 0, 0, 2, 2, 100.0)),
                ("1-2", (2, 2, 1, 0, 1, 0, 1, 0, 0.0)),
                ("2-1", (2, 3, 3, 0, 0, 0, 2, 1, 50.0)),
            ],
            Classes(schools[city.A.SchoolId]));
        Assert.Equal([("3-1", (2, 2, 2, 0, 0, 0, 2, 1, 50.0))], Classes(schools[city.B.SchoolId]));

        var timeline = report.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(7, timeline.Sum(m => m.GetProperty("sent").GetInt32()));
        Assert.Equal(1, timeline.Sum(m => m.GetProperty("bounced").GetInt32()));
        Assert.Equal(3, timeline.Sum(m => m.GetProperty("confirmed").GetInt32()));
        var minutes = timeline.Select(m => m.GetProperty("minute").GetDateTimeOffset()).ToList();
        Assert.Equal(minutes.Order(), minutes);
        Assert.All(minutes, m => Assert.Equal(0, m.Second));
    }

    [Fact]
    public async Task The_csv_report_parses_back_and_the_phone_list_holds_exactly_the_unconfirmed_and_unreachable_households_masked_and_audited()
    {
        var (city, id) = await SentWithConfirmationsAsync();
        using var board = fixture.WithToken(city.BoardToken);

        var (reportText, reportType) = await CsvAsync(board, $"/api/v1/broadcasts/{id}/report.csv");
        var report = Parse(reportText);
        Assert.Equal("text/csv", reportType);
        Assert.Equal(["level", "school_id", "school_name", "grade", "class", "households", "addresses", "delivered", "deferred", "bounced",
            "pending", "reached_households", "confirmed_households", "confirmed_percent"], report[0]);
        Assert.Equal(["total", "", "", "", "", "7", "8", "7", "0", "1", "0", "6", "3", "42.9"], report[1]);
        Assert.Equal(["school", city.A.SchoolId, city.A.Name, "", "", "5", "6", "5", "0", "1", "0", "4", "2", "40.0"], report[2]);
        Assert.Equal(["class", city.A.SchoolId, city.A.Name, "1", "2", "2", "2", "1", "0", "1", "0", "1", "0", "0.0"], report[4]);
        Assert.Equal(["class", city.B.SchoolId, city.B.Name, "3", "1", "2", "2", "2", "0", "0", "0", "2", "1", "50.0"], report[7]);
        Assert.Equal(8, report.Count);

        var (listText, _) = await CsvAsync(board, $"/api/v1/broadcasts/{id}/unconfirmed.csv");
        var list = Parse(listText);
        Assert.Equal(["school_id", "grade", "class", "child_name", "guardian_name", "masked_addresses", "reason", "smtp_reply"], list[0]);
        string Masked(string local, string domain) => GuardianAddress.Mask($"{local}.{city.Suffix}@{domain}");
        Assert.Equal(
            new[]
            {
                (city.A.SchoolId, "1", "2", ReportCity.QuotedChild, "'" + ReportCity.FormulaGuardian, Masked("tanaka", "ezweb.ne.jp"), "unconfirmed"),
                (city.A.SchoolId, "1", "2", "山本四郎", "山本恵", Masked("unknown-yamamoto", "ymobile.ne.jp"), "bounced"),
                (city.A.SchoolId, "2", "1", "伊藤五郎", "伊藤誠", Masked("ito", "au.com"), "broadcasts switched off"),
                (city.A.SchoolId, "2", "1", "高橋六郎", "高橋節子", Masked("takahashi", "docomo.ne.jp"), "no address on file"),
                (city.B.SchoolId, "3", "1", "小林八郎", "小林直子", Masked("kobayashi", "docomo.ne.jp"), "unconfirmed"),
            }.Order(),
            list.Skip(1).Select(r => (r[0], r[1], r[2], r[3], r[4], r[5], r[6])).Order());
        Assert.Contains("5.1.1", list.Single(r => r[6] == "bounced")[7], StringComparison.Ordinal);
        Assert.DoesNotContain($".{city.Suffix}@", listText, StringComparison.Ordinal); // no full address, of anyone

        var audit = fixture.Services.GetRequiredService<IAuditLog>();
        foreach (var (school, lines) in new[] { (city.A.SchoolId, 4), (city.B.SchoolId, 1) })
        {
            var entry = Assert.Single(await audit.ReadAsync(school), e => e.Action == "broadcast.unconfirmed.export");
            Assert.Equal($"broadcast {id}: {lines} lines", entry.Detail);
        }
    }

    [Fact]
    public async Task School_staff_see_only_their_schools_lines_of_a_board_broadcast_and_everything_out_of_reach_is_404()
    {
        var (city, id) = await SentWithConfirmationsAsync();
        var stranger = await fixture.CreateTenantAsync(guardians: 1);
        using var board = fixture.WithToken(city.BoardToken);
        using var staffA = fixture.WithToken(city.TokenA);
        using var staffC = fixture.WithToken(city.TokenC);
        using var otherBoard = fixture.WithToken(stranger.BoardToken);

        var report = await staffA.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}/report");
        Assert.Equal(city.A.SchoolId, Assert.Single(report.GetProperty("schools").EnumerateArray()).GetProperty("schoolId").GetString());
        Assert.Equal((5, 6, 5, 0, 1, 0, 4, 2, 40.0), Counts(report.GetProperty("totals")));
        Assert.Equal(5, report.GetProperty("timeline").EnumerateArray().Sum(m => m.GetProperty("sent").GetInt32()));
        var csv = Parse((await CsvAsync(staffA, $"/api/v1/broadcasts/{id}/report.csv")).Text);
        Assert.Equal(["total", "school", "class", "class", "class"], csv.Skip(1).Select(r => r[0]));
        Assert.All(csv.Skip(2), r => Assert.Equal(city.A.SchoolId, r[1]));
        var list = Parse((await CsvAsync(staffA, $"/api/v1/broadcasts/{id}/unconfirmed.csv")).Text);
        Assert.Equal(4, list.Count - 1);
        Assert.All(list.Skip(1), r => Assert.Equal(city.A.SchoolId, r[0]));
        var narrowed = await board.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}/report?schoolId={city.B.SchoolId}");
        Assert.Equal((2, 2, 2, 0, 0, 0, 2, 1, 50.0), Counts(narrowed.GetProperty("totals")));

        foreach (var route in new[] { "report", "report.csv", "unconfirmed.csv" })
        {
            await AssertStatusAsync(staffC, $"/api/v1/broadcasts/{id}/{route}", HttpStatusCode.NotFound); // the board's, not in the broadcast
            await AssertStatusAsync(otherBoard, $"/api/v1/broadcasts/{id}/{route}", HttpStatusCode.NotFound);
            await AssertStatusAsync(staffA, $"/api/v1/broadcasts/{id}/{route}?schoolId={city.B.SchoolId}", HttpStatusCode.NotFound);
            await AssertStatusAsync(board, $"/api/v1/broadcasts/{id}/{route}?schoolId={city.C.SchoolId}", HttpStatusCode.NotFound);
            await AssertStatusAsync(board, $"/api/v1/broadcasts/bc-{new string('0', 24)}/{route}", HttpStatusCode.NotFound);
            using var anonymous = fixture.Anonymous();
            await AssertStatusAsync(anonymous, $"/api/v1/broadcasts/{id}/{route}", HttpStatusCode.Unauthorized);
            using var bad = await board.GetAsync($"/api/v1/broadcasts/{id}/{route}?schoolId=Not_A_School");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("schoolId", out _));
        }

        Assert.DoesNotContain(await fixture.Services.GetRequiredService<IAuditLog>().ReadAsync(city.C.SchoolId), e => e.Action == "broadcast.unconfirmed.export");
    }

    /// <summary>
    /// The broadcast, then: 佐藤花子 confirms from her second address (and again later from the first: still one),
    /// 鈴木良子 and 渡辺明美 confirm, a household outside the audience "confirms" (ignored), 伊藤誠 switches broadcasts off.
    /// </summary>
    private async Task<(ReportCity City, string BroadcastId)> SentWithConfirmationsAsync()
    {
        var city = await ReportCity.CreateAsync(fixture);
        var id = await city.BroadcastAsync(fixture);
        var store = fixture.Services.GetRequiredService<IConfirmationStore>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, slot, after) in new[] { ("佐藤花子", 2, 0), ("鈴木良子", 1, 1), ("渡辺明美", 1, 2), ("佐藤花子", 1, 3) })
        {
            var guardian = city.GuardianIds[name];
            await store.RecordAsync(new ConfirmationRecord(id, guardian, $"{guardian}-{slot}", now.AddSeconds(after)), CancellationToken.None);
        }

        var outsider = Ids.New("gd");
        await store.RecordAsync(new ConfirmationRecord(id, outsider, $"{outsider}-1", now), CancellationToken.None);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(city.A.SchoolId);
        var ito = (await school.GetRosterAsync()).Guardians[city.GuardianIds["伊藤誠"]];
        await school.UpdateGuardianAsync(ito with { ReceiveBroadcasts = false });
        return (city, id);
    }

    private static (int, int, int, int, int, int, int, int, double) Counts(JsonElement c) => (
        c.GetProperty("households").GetInt32(), c.GetProperty("addresses").GetInt32(), c.GetProperty("delivered").GetInt32(),
        c.GetProperty("deferred").GetInt32(), c.GetProperty("bounced").GetInt32(), c.GetProperty("pending").GetInt32(),
        c.GetProperty("reachedHouseholds").GetInt32(), c.GetProperty("confirmedHouseholds").GetInt32(), c.GetProperty("confirmedPercent").GetDouble());

    private static List<(string, (int, int, int, int, int, int, int, int, double))> Classes(JsonElement school) =>
        [.. school.GetProperty("classes").EnumerateArray()
            .Select(c => ($"{c.GetProperty("grade").GetInt32()}-{c.GetProperty("class").GetString()}", Counts(c.GetProperty("counts"))))];

    /// <summary>The body as text after checking it is UTF-8 with a byte order mark, and its media type.</summary>
    private static async Task<(string Text, string? MediaType)> CsvAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes), response.Content.Headers.ContentType?.MediaType);
    }

    private static List<List<string>> Parse(string text)
    {
        var reader = new CsvReader(new StringReader(text));
        var records = new List<List<string>>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        return records;
    }

    private static async Task AssertStatusAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(url);
        Assert.True(expected == response.StatusCode, $"{url}: expected {expected}, got {response.StatusCode}");
    }
}
