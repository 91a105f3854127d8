using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Pta.Gateway.Tests;

/// <summary>
/// Every kind of bad request gets its status and an RFC 9457 problem naming the field at fault, and
/// leaves no trace: no broadcast stored, no mail at the SMTP server.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class BadInputTests(GatewayFixture fixture)
{
    public static TheoryData<string, HttpStatusCode, string?> Cases => new()
    {
        { "missing subject", HttpStatusCode.BadRequest, "subject" },
        { "missing body", HttpStatusCode.BadRequest, "body" },
        { "missing category", HttpStatusCode.BadRequest, "category" },
        { "unknown category", HttpStatusCode.BadRequest, "category" },
        { "numeric category", HttpStatusCode.BadRequest, "category" },
        { "CR LF in subject", HttpStatusCode.BadRequest, "subject" },
        { "LF in subject", HttpStatusCode.BadRequest, "subject" },
        { "NUL in body", HttpStatusCode.BadRequest, "body" },
        { "lone surrogate in subject", HttpStatusCode.BadRequest, "subject" },
        { "subject too long", HttpStatusCode.BadRequest, "subject" },
        { "body too long", HttpStatusCode.BadRequest, "body" },
        { "grade out of range", HttpStatusCode.BadRequest, "audience.grades[0]" },
        { "class with line break", HttpStatusCode.BadRequest, "audience.classes[0].class" },
        { "missing idempotency key", HttpStatusCode.BadRequest, "Idempotency-Key" },
        { "idempotency key with space", HttpStatusCode.BadRequest, "Idempotency-Key" },
        { "malformed JSON", HttpStatusCode.BadRequest, "$" },
        { "wrong JSON type", HttpStatusCode.BadRequest, "audience.grades[0]" },
        { "empty body", HttpStatusCode.BadRequest, "$" },
        { "oversized request", HttpStatusCode.RequestEntityTooLarge, null },
        { "not JSON", HttpStatusCode.UnsupportedMediaType, null },
        { "unknown school", HttpStatusCode.NotFound, null },
        { "invalid school id", HttpStatusCode.NotFound, null },
        { "no credential", HttpStatusCode.Unauthorized, null },
        { "wrong secret", HttpStatusCode.Unauthorized, null },
        { "not a credential", HttpStatusCode.Unauthorized, null },
        { "another school's credential", HttpStatusCode.NotFound, null },
        { "another board's credential", HttpStatusCode.NotFound, null },
        { "audience with nobody", HttpStatusCode.UnprocessableEntity, "audience" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_answered_with_a_problem_and_leaves_nothing_behind(string @case, HttpStatusCode expected, string? field)
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 8);
        var other = await fixture.CreateTenantAsync(guardians: 2);
        var broadcastsBefore = await StoredBroadcastsAsync();
        var (client, request) = Build(@case, tenant, other);

        using (client)
        using (request)
        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
            if (field is not null && expected == HttpStatusCode.BadRequest)
            {
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
            }
            else if (field is not null)
            {
                Assert.Equal(field, problem.GetProperty("field").GetString());
            }

            if (expected == HttpStatusCode.Unauthorized)
            {
                Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }

        await Task.Delay(200); // a wrongly accepted broadcast would start sending within this time
        Assert.Equal(broadcastsBefore, await StoredBroadcastsAsync());
        var suffix = tenant.School.SchoolId[2..];
        Assert.DoesNotContain(fixture.Sink.Messages(), m => m.RcptTo.Any(r => r.Contains(suffix, StringComparison.Ordinal)));
    }

    private (HttpClient Client, HttpRequestMessage Request) Build(string @case, TestTenant tenant, TestTenant other)
    {
        var school = tenant.School.SchoolId;
        var staff = fixture.WithToken(tenant.SchoolToken);
        object Body(string? subject = Requests.Subject, string? body = Requests.Body, string? category = "emergency", object? audience = null) =>
            new { subject, body, category, audience };

        return @case switch
        {
            "missing subject" => (staff, Requests.Post(school, Body(subject: null))),
            "missing body" => (staff, Requests.Post(school, Body(body: null))),
            "missing category" => (staff, Requests.Post(school, Body(category: null))),
            "unknown category" => (staff, Requests.Post(school, Body(category: "urgent"))),
            "numeric category" => (staff, Requests.Post(school, Body(category: "0"))),
            "CR LF in subject" => (staff, Requests.Post(school, Body(subject: "臨時休校\r\nBcc: all@docomo.ne.jp"))),
            "LF in subject" => (staff, Requests.Post(school, Body(subject: "臨時休校\nX-Injected: 1"))),
            "NUL in body" => (staff, Requests.Post(school, Body(body: "本文\0続き"))),
            "lone surrogate in subject" => (staff, Requests.Post(school, Requests.RawJson(
                "{\"subject\":\"\\ud800件名\",\"body\":\"本文\",\"category\":\"info\"}"), Guid.NewGuid().ToString())),
            "subject too long" => (staff, Requests.Post(school, Body(subject: new string('件', 201)))),
            "body too long" => (staff, Requests.Post(school, Body(body: new string('a', 20_001)))),
            "grade out of range" => (staff, Requests.Post(school, Body(audience: new { grades = new[] { 0 } }))),
            "class with line break" => (staff, Requests.Post(school, Body(audience: new { classes = new[] { new { grade = 1, @class = "1\r\n" } } }))),
            "missing idempotency key" => (staff, Requests.Post(school, JsonContent.Create(Body()), idempotencyKey: null)),
            "idempotency key with space" => (staff, Requests.Post(school, Body(), idempotencyKey: "two words")),
            "malformed JSON" => (staff, Requests.Post(school, Requests.RawJson("{\"subject\": \"件名\", "), "k1")),
            "wrong JSON type" => (staff, Requests.Post(school, Requests.RawJson(
                "{\"subject\":\"件名\",\"body\":\"本文\",\"category\":\"info\",\"audience\":{\"grades\":[\"one\"]}}"), "k2")),
            "empty body" => (staff, Requests.Post(school, Requests.RawJson("null"), "k3")),
            "oversized request" => (staff, Requests.Post(school, Body(body: new string('あ', 40_000)))),
            "not JSON" => (staff, Requests.Post(school, new StringContent("subject=x", Encoding.UTF8, "application/x-www-form-urlencoded"), "k4")),
            "unknown school" => (staff, Requests.Post("no-such-school", Body())),
            "invalid school id" => (staff, Requests.Post("..%2F..%2Fetc", Body())),
            "no credential" => (fixture.Anonymous(), Requests.Post(school, Body())),
            "wrong secret" => (fixture.WithToken(tenant.SchoolToken[..^4] + "AAAA"), Requests.Post(school, Body())),
            "not a credential" => (WithRawAuthorization("Basic dXNlcjpwYXNz"), Requests.Post(school, Body())),
            "another school's credential" => (fixture.WithToken(other.SchoolToken), Requests.Post(school, Body())),
            "another board's credential" => (fixture.WithToken(other.BoardToken), Requests.Post(school, Body())),
            "audience with nobody" => (staff, Requests.Post(school, Body(audience: new { grades = new[] { 12 } }))),
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, "no such case"),
        };
    }

    private HttpClient WithRawAuthorization(string value)
    {
        var client = fixture.Anonymous();
        client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(value);
        return client;
    }

    private Task<long> StoredBroadcastsAsync() =>
        fixture.Database.ScalarAsync("SELECT count(*) FROM orleansstorage WHERE graintypestring IN ('broadcast', 'shard')");
}
