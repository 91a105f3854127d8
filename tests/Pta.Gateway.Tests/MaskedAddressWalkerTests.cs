using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Pta.Grains.Registration;
using Pta.Testing;
using Xunit.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// Walks every school/board operation the OpenAPI document lists, with a school and a board credential, and
/// proves no answer (any status) carries a full guardian address: staff see masked addresses only. Generated
/// from the document, so a new endpoint is walked the day it is mapped.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class MaskedAddressWalkerTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_school_or_board_endpoint_answers_with_a_full_guardian_address_and_the_roster_shows_masked_ones()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 12);
        var suffix = tenant.School.SchoolId[2..];
        string[] selfRegistered = [$"walker.{suffix}@softbank.ne.jp", $"walker.work.{suffix}@gmail.com"];
        var manageToken = await GuardianMail.RegisterAsync(fixture, tenant, selfRegistered[0], [selfRegistered[1]]);
        using var anonymous = fixture.Anonymous();
        // A PTA with this guardian as its member, so the PTA's member list is walked with an address in it.
        using (var pta = await fixture.WithToken(tenant.SchoolToken).PutAsJsonAsync($"/api/v1/schools/{tenant.School.SchoolId}/pta", new { name = "PTA" }))
        {
            pta.EnsureSuccessStatusCode();
        }

        using (var joined = await anonymous.PostAsJsonAsync($"/api/v1/me/{manageToken}/ptas/pta-{tenant.School.SchoolId}", new { consent = true }))
        {
            joined.EnsureSuccessStatusCode();
        }

        using (var monthly = await fixture.WithToken(tenant.BoardToken).PutAsJsonAsync(
                   $"/api/v1/boards/{tenant.School.BoardId}/monthly-test", new { dayOfMonth = 1, time = "10:00", subject = "テスト配信", body = "テスト" }))
        {
            monthly.EnsureSuccessStatusCode(); // so the walk's GET of the monthly test has a body to look at
        }

        // Switched off, this household is on /unreachable (JSON and CSV) with its masked address.
        using var off = await anonymous.PutAsJsonAsync($"/api/v1/me/{manageToken}/broadcasts", new { receive = false });
        off.EnsureSuccessStatusCode();
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var sent = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid()));
        var location = sent.Headers.Location?.ToString();
        Assert.NotNull(location);
        await BroadcastPolling.WaitForStatusAsync(staff, location);
        var values = new Dictionary<string, string>
        {
            ["schoolId"] = tenant.School.SchoolId,
            ["broadcastId"] = location[(location.LastIndexOf('/') + 1)..],
            ["boardId"] = tenant.School.BoardId,
            ["groupId"] = "walker-club",
            ["templateId"] = "rinji-kyuko", // a built-in template: every school and board has it
            ["childId"] = (await staff.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/schools/{tenant.School.SchoolId}/children"))[0].GetProperty("childId").GetString()!,
        };
        var addresses = tenant.Roster.SelectMany(r => r.BroadcastAddresses).Concat(selfRegistered).ToList();
        var operations = await SchoolAndBoardOperationsAsync(anonymous);
        output.WriteLine($"walking: {string.Join("; ", operations)}");

        foreach (var (role, token) in new[] { ("school", tenant.SchoolToken), ("board", tenant.BoardToken) })
        {
            using var client = fixture.WithToken(token);
            foreach (var operation in operations)
            {
                using var response = await client.SendAsync(operation.Request(values));
                var seen = await EverythingReadableAsync(response);
                Assert.True((int)response.StatusCode < 500, $"{operation} ({role} credential): {(int)response.StatusCode} {seen}");
                var boardOnly = operation.Path.StartsWith("/api/v1/boards/", StringComparison.Ordinal) && role == "school"; // 404 by design
                Assert.True(operation.Method != HttpMethod.Get || boardOnly || response.IsSuccessStatusCode,
                    $"{operation} ({role} credential): a GET of the caller's own school answered {(int)response.StatusCode}, so its body proves nothing");
                var leaked = addresses.Where(a => seen.Contains(a, StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.True(leaked.Count == 0, $"{operation} ({role} credential): answered {(int)response.StatusCode} with full guardian address(es) {string.Join(", ", leaked)}");
            }
        }

        var children = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/children");
        var unreachable = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/unreachable");
        using var csvResponse = await staff.GetAsync($"/api/v1/schools/{tenant.School.SchoolId}/unreachable?format=csv");
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.All(addresses, a => Assert.Contains(Masked(a), children, StringComparison.OrdinalIgnoreCase));
        Assert.All(selfRegistered, a => Assert.Contains(Masked(a), unreachable, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(Masked(selfRegistered[0]), csv, StringComparison.OrdinalIgnoreCase);
        Assert.All(addresses, a => Assert.DoesNotContain(a, csv, StringComparison.OrdinalIgnoreCase));
        var ptaMembers = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/pta");
        Assert.All(selfRegistered, a => Assert.Contains(Masked(a), ptaMembers, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The masked form staff see, written out independently of the product: first letter, three stars, the domain.</summary>
    private static string Masked(string address) => string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(address.IndexOf('@', StringComparison.Ordinal)));

    /// <summary>Body, headers and, for JSON, every string and name decoded, so an escaped address (\u0040) cannot hide.</summary>
    internal static async Task<string> EverythingReadableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var text = new StringBuilder(body).AppendLine();
        foreach (var (name, header) in response.Headers.Concat(response.Content.Headers))
        {
            text.AppendLine($"{name}: {string.Join(", ", header)}");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            AppendStrings(json.RootElement, text);
        }
        catch (JsonException)
        {
            // Not JSON (CSV, text, empty): the raw body above is what a reader sees.
        }

        return text.ToString();
    }

    private static void AppendStrings(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                text.AppendLine(element.GetString());
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AppendStrings(item, text);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    text.AppendLine(property.Name);
                    AppendStrings(property.Value, text);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Every operation under /api/v1/ that a school or board credential calls: all of them except guardian
    /// self-service (/api/v1/me/…) and registration links (/api/v1/registrations/…), which have their own secrets.
    /// </summary>
    internal static async Task<IReadOnlyList<ApiOperation>> SchoolAndBoardOperationsAsync(HttpClient client)
    {
        var operations = (await OperationsAsync(client))
            .Where(o => !o.Path.StartsWith("/api/v1/me/", StringComparison.Ordinal) && !o.Path.StartsWith("/api/v1/registrations/", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(operations, o => o.Path == "/api/v1/schools/{schoolId}/broadcasts"); // the document is the one we think it is
        return operations;
    }

    /// <summary>Every operation under /api/v1/ in the gateway's OpenAPI document.</summary>
    internal static async Task<IReadOnlyList<ApiOperation>> OperationsAsync(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = new List<ApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            var shared = path.Value.TryGetProperty("parameters", out var common) ? common.EnumerateArray().ToList() : [];
            foreach (var operation in path.Value.EnumerateObject().Where(o => OperationKeys.Contains(o.Name)))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var own) ? shared.Concat(own.EnumerateArray()) : shared;
                operations.Add(new ApiOperation(
                    new HttpMethod(operation.Name.ToUpperInvariant()),
                    path.Name,
                    [.. parameters.Select(p => new ApiParameter(
                        p.TryGetProperty("name", out var name) ? name.GetString() ?? "" : p.ToString(),
                        p.TryGetProperty("in", out var where) ? where.GetString() ?? "" : "",
                        p.TryGetProperty("required", out var required) && required.GetBoolean()))],
                    operation.Value.TryGetProperty("requestBody", out _)));
            }
        }

        return operations;
    }

    /// <summary>The keys of an OpenAPI path item that are operations (the others are parameters, summary, servers…).</summary>
    private static readonly HashSet<string> OperationKeys = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];


    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"http://pta\.test/register/(rt-[0-9a-f]{32})")]
    private static partial Regex RegistrationLink();

    [GeneratedRegex(@"http://pta\.test/me/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    private static partial Regex ManageToken();

    /// <summary>A parameter as the OpenAPI document declares it.</summary>
    internal sealed record ApiParameter(string Name, string In, bool Required);

    /// <summary>One path + method of the OpenAPI document, and how to call it.</summary>
    internal sealed record ApiOperation(HttpMethod Method, string Path, IReadOnlyList<ApiParameter> Parameters, bool HasBody)
    {
        public override string ToString() => $"{Method} {Path}";

        /// <summary>
        /// The request with path and required query parameters filled from <paramref name="values"/>; a parameter
        /// with no value there fails the test, so a new endpoint cannot slip through untested. A broadcast gets a
        /// valid body and an Idempotency-Key; any other operation with a body gets <c>{}</c>.
        /// </summary>
        public HttpRequestMessage Request(IReadOnlyDictionary<string, string> values)
        {
            var url = PathParameter().Replace(Path, m => Uri.EscapeDataString(ValueOf(m.Groups[1].Value, "path", values)));
            var query = Parameters.Where(p => p.In == "query" && p.Required).Select(p => $"{p.Name}={Uri.EscapeDataString(ValueOf(p.Name, "query", values))}").ToList();
            var request = new HttpRequestMessage(Method, query.Count == 0 ? url : $"{url}?{string.Join('&', query)}");
            foreach (var header in Parameters.Where(p => p.In == "header"))
            {
                if (string.Equals(header.Name, "Idempotency-Key", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.Add(header.Name, Guid.NewGuid().ToString());
                }
                else if (header.Required)
                {
                    request.Headers.Add(header.Name, ValueOf(header.Name, "header", values));
                }
            }

            if (Method == HttpMethod.Post && Path == "/api/v1/schools/{schoolId}/broadcasts")
            {
                request.Content = JsonContent.Create(Requests.Valid());
            }
            else if (Method == HttpMethod.Post && Path == "/api/v1/cap")
            {
                // A Test alert: answered as a dry run, so walking it stores and sends nothing.
                request.Content = new StringContent(Cap.CapGatewayFixture.Sample("earthquake-test.xml", "walker"), Encoding.UTF8, "application/cap+xml");
            }
            else if (HasBody)
            {
                request.Content = Requests.RawJson("{}");
            }

            return request;
        }

        private string ValueOf(string name, string where, IReadOnlyDictionary<string, string> values)
        {
            if (!values.TryGetValue(name, out var value))
            {
                Assert.Fail($"{this}: the {where} parameter '{name}' has no value in this test. A new parameter needs a value here " +
                            $"(known: {string.Join(", ", values.Keys)}), so the new endpoint is called rather than skipped.");
            }

            return value;
        }
    }
}
