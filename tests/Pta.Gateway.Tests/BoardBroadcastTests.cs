using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>A board's broadcast to several schools: chosen schools and grades, one mail per address, each school's sender.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BoardBroadcastTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_board_broadcast_reaches_the_chosen_schools_and_grade_once_per_address_from_each_schools_sender()
    {
        var city = await CreateCityAsync(schools: 3, guardiansPerSchool: 12);
        using var board = fixture.WithToken(city.BoardToken);
        var chosen = new[] { city.Schools[0].SchoolId, city.Schools[1].SchoolId };

        using var response = await board.SendAsync(Post(city.BoardId, new
        {
            subject = Requests.Subject, body = Requests.Body, category = "emergency", schoolIds = chosen, grades = new[] { 1, 2 },
        }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        var done = await BroadcastPolling.WaitForStatusAsync(board, location, "completed");
        var progress = await board.GetFromJsonAsync<JsonElement>($"{location}/progress");
        var received = fixture.Sink.Messages().Where(m => m.RcptTo.Any(r => r.Contains(city.Suffix, StringComparison.Ordinal))).ToList();

        // Grades 1–2 of schools 0 and 1: 4 guardians each; the guardian shared by both schools counts once.
        var expected = city.Rosters.Take(2).SelectMany(r => r).Where(e => e.Grade <= 2).Select(e => e.BroadcastAddresses[0])
            .Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
        Assert.Equal(7, expected.Count);
        Assert.Equal(expected, received.Select(m => m.Message.To.Mailboxes.Single().Address).Order());
        Assert.Equal(7, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("schoolId").ValueKind);
        Assert.Equal(chosen.Order(), done.GetProperty("schoolIds").EnumerateArray().Select(s => s.GetString()).Order());
        Assert.All(received, m =>
        {
            // The shared address is in both rosters; the first school listed keeps it.
            var school = city.Schools.First(s => city.Rosters[city.Schools.IndexOf(s)].Any(e =>
                string.Equals(e.BroadcastAddresses[0], m.Message.To.Mailboxes.Single().Address, StringComparison.OrdinalIgnoreCase)));
            Assert.Equal(school.SenderAddress, Assert.Single(m.Message.From.Mailboxes).Address);
        });

        // Progress: per school the recipients it sent to, per carrier the same total.
        var schools = progress.GetProperty("schools").EnumerateArray().ToDictionary(
            s => s.GetProperty("schoolId").GetString()!, s => s.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(new Dictionary<string, int> { [chosen[0]] = 4, [chosen[1]] = 3 }, schools);
        Assert.Equal(7, progress.GetProperty("carriers").EnumerateArray().Sum(c => c.GetProperty("counts").GetProperty("sent").GetInt32()));
        Assert.Equal(7, progress.GetProperty("counts").GetProperty("recipients").GetInt32());
    }

    [Fact]
    public async Task A_board_broadcast_without_schools_goes_to_every_school_and_school_staff_see_only_their_line()
    {
        var city = await CreateCityAsync(schools: 2, guardiansPerSchool: 6);
        using var board = fixture.WithToken(city.BoardToken);
        using var staff = fixture.WithToken(city.SchoolTokens[1]);

        using var response = await board.SendAsync(Post(city.BoardId, new { subject = Requests.Subject, body = Requests.Body, category = "safety" }));
        var location = response.Headers.Location!.ToString();
        var done = await BroadcastPolling.WaitForStatusAsync(board, location, "completed");
        var staffProgress = await staff.GetFromJsonAsync<JsonElement>($"{location}/progress");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(11, done.GetProperty("counts").GetProperty("sent").GetInt32()); // 12 guardians, one address shared
        var line = Assert.Single(staffProgress.GetProperty("schools").EnumerateArray());
        Assert.Equal(city.Schools[1].SchoolId, line.GetProperty("schoolId").GetString());
    }

    [Fact]
    public async Task A_school_outside_the_board_bad_grades_or_an_empty_audience_are_refused_with_the_field_and_nothing_is_sent()
    {
        var city = await CreateCityAsync(schools: 1, guardiansPerSchool: 3);
        var other = await fixture.CreateTenantAsync(guardians: 1);
        using var board = fixture.WithToken(city.BoardToken);
        using var school = fixture.WithToken(city.SchoolTokens[0]);
        var before = fixture.Sink.Messages().Count(m => m.RcptTo.Any(r => r.Contains(city.Suffix, StringComparison.Ordinal)));

        using var foreign = await board.SendAsync(Post(city.BoardId, new
        {
            subject = Requests.Subject, body = Requests.Body, category = "emergency", schoolIds = new[] { city.Schools[0].SchoolId, other.School.SchoolId },
        }));
        using var badGrade = await board.SendAsync(Post(city.BoardId, new { subject = Requests.Subject, body = Requests.Body, category = "emergency", grades = new[] { 13 } }));
        using var fromSchool = await school.SendAsync(Post(city.BoardId, new { subject = Requests.Subject, body = Requests.Body, category = "emergency" }));
        using var tooManyGrades = await board.SendAsync(Post(city.BoardId, new
        {
            subject = Requests.Subject, body = Requests.Body, category = "emergency", grades = Enumerable.Repeat(1, 201).ToArray(),
        }));
        using var nobody = await board.SendAsync(Post(city.BoardId, new { subject = Requests.Subject, body = Requests.Body, category = "emergency", grades = new[] { 12 } }));

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.True((await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("schoolIds[1]", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badGrade.StatusCode);
        Assert.True((await badGrade.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("grades[0]", out _));
        Assert.Equal(HttpStatusCode.NotFound, fromSchool.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooManyGrades.StatusCode);
        Assert.True((await tooManyGrades.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("grades", out _));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nobody.StatusCode); // no child in grade 12
        Assert.Equal("schoolIds", (await nobody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        await Task.Delay(500);
        Assert.Equal(before, fixture.Sink.Messages().Count(m => m.RcptTo.Any(r => r.Contains(city.Suffix, StringComparison.Ordinal))));
    }

    private static HttpRequestMessage Post(string boardId, object body) =>
        new(HttpMethod.Post, $"/api/v1/boards/{boardId}/broadcasts")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };

    /// <summary>
    /// A board with <paramref name="schools"/> schools of <paramref name="guardiansPerSchool"/> guardians each; the first
    /// guardian of school 1 has the address of the first guardian of school 0 (a sibling at another school).
    /// </summary>
    private async Task<TestCity> CreateCityAsync(int schools, int guardiansPerSchool)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"b-{suffix}";
        var profiles = Enumerable.Range(0, schools)
            .Select(i => new SchoolProfile($"s{i}-{suffix}", boardId, $"テスト市立第{i}小学校", $"school{i}-{suffix}@mail.test-city.example", $"第{i}小学校"))
            .ToList();
        await fixture.Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(
            new BoardProfile(boardId, "テスト市教育委員会", $"board@{boardId}.example", [.. profiles.Select(p => p.SchoolId)]));
        var carriers = new[] { "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "gmail.com" };
        var rosters = new List<IReadOnlyList<RosterEntry>>();
        var tokens = new List<string>();
        foreach (var (profile, i) in profiles.Select((p, i) => (p, i)))
        {
            await fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId).ConfigureAsync(profile);
            var roster = Enumerable.Range(0, guardiansPerSchool)
                .Select(n => new RosterEntry(
                    $"g{n:D4}", n % 6 + 1, "1",
                    [i == 1 && n == 0 ? $"shared.{suffix}@docomo.ne.jp" : i == 0 && n == 0 ? $"shared.{suffix}@docomo.ne.jp" : $"h{i}x{n:D3}.{suffix}@{carriers[n % carriers.Length]}"]))
                .ToList();
            await fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId).ReplaceRosterAsync(roster);
            rosters.Add(roster);
            tokens.Add(await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.School, boardId, profile.SchoolId, "staff " + i.ToString(CultureInfo.InvariantCulture)));
        }

        var boardToken = await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.Board, boardId, null, "test board");
        return new TestCity(suffix, boardId, profiles, rosters, boardToken, tokens);
    }

    private sealed record TestCity(
        string Suffix, string BoardId, List<SchoolProfile> Schools, List<IReadOnlyList<RosterEntry>> Rosters, string BoardToken, List<string> SchoolTokens);
}
