using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Registration;
using Pta.Testing;
using Operation = Pta.Gateway.Tests.MaskedAddressWalkerTests.ApiOperation;

namespace Pta.Gateway.Tests;

/// <summary>
/// Who may call what, generated from the OpenAPI document: every school/board operation refuses callers without
/// a (valid) credential with 401 and callers of another school or board with 404 — problem details either way —
/// and stores and sends nothing for them. Guardian links reach their own guardian only.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AuthorizationMatrixTests(GatewayFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    private const string BroadcastRowsSql =
        "SELECT count(*) FROM orleansstorage WHERE graintypestring IN ('broadcast', 'shard')";

    [Fact]
    public async Task Every_school_and_board_operation_refuses_strangers_and_other_tenants_and_stores_and_sends_nothing_for_them()
    {
        var mine = await fixture.CreateTenantAsync(guardians: 3);
        var theirs = await fixture.CreateTenantAsync(guardians: 3);
        using var owner = fixture.WithToken(theirs.SchoolToken);
        using var sent = await owner.SendAsync(Requests.Post(theirs.School.SchoolId, Requests.Valid()));
        var location = sent.Headers.Location?.ToString();
        Assert.NotNull(location);
        await BroadcastPolling.WaitForStatusAsync(owner, location);
        using (var pta = await owner.PutAsJsonAsync($"/api/v1/schools/{theirs.School.SchoolId}/pta", new { name = "PTA" }))
        {
            pta.EnsureSuccessStatusCode(); // so the owner's control GET of the PTA answers 200
        }

        using (var monthly = await fixture.WithToken(theirs.BoardToken).PutAsJsonAsync(
                   $"/api/v1/boards/{theirs.School.BoardId}/monthly-test", new { dayOfMonth = 1, time = "10:00", subject = "テスト配信", body = "テスト" }))
        {
            monthly.EnsureSuccessStatusCode(); // so the board's control GET of its monthly test answers 200
        }

        var values = new Dictionary<string, string>
        {
            ["schoolId"] = theirs.School.SchoolId,
            ["broadcastId"] = location[(location.LastIndexOf('/') + 1)..],
            ["boardId"] = theirs.School.BoardId,
            ["groupId"] = "walker-club",
            ["templateId"] = "rinji-kyuko", // a built-in template: every school and board has it
            ["childId"] = (await owner.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/schools/{theirs.School.SchoolId}/children"))[0].GetProperty("childId").GetString()!,
        };
        var operations = await MaskedAddressWalkerTests.SchoolAndBoardOperationsAsync(owner);

        // Control: the owner (the board, for board routes) reads every GET with these values, so a 404 below is
        // the credential's doing.
        using var boardOwner = fixture.WithToken(theirs.BoardToken);
        foreach (var operation in operations.Where(o => o.Method == HttpMethod.Get))
        {
            var control = operation.Path.StartsWith("/api/v1/boards/", StringComparison.Ordinal) ? boardOwner : owner;
            using var response = await control.SendAsync(operation.Request(values));
            Assert.True(response.IsSuccessStatusCode, $"{operation} (owner, control): {(int)response.StatusCode}");
        }

        var revoked = await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.School, theirs.School.BoardId, theirs.School.SchoolId, "revoked staff");
        Assert.True(ApiCredentials.TryParse(revoked, out var revokedKeyId, out _));
        await fixture.Grains.GetGrain<ICredentialGrain>(revokedKeyId).RevokeAsync();
        var callers = new (string Who, string? Token, HttpStatusCode Expected)[]
        {
            ("no credential", null, HttpStatusCode.Unauthorized),
            ("another school's credential", mine.SchoolToken, HttpStatusCode.NotFound),
            ("another board's credential", mine.BoardToken, HttpStatusCode.NotFound),
            ("a revoked credential of the school", revoked, HttpStatusCode.Unauthorized),
            ("the school's credential with one character changed", OneCharacterChanged(theirs.SchoolToken, theirs.SchoolToken.Length - 5), HttpStatusCode.Unauthorized),
            ("an unknown key id", "pta.k0123456789abcdef.c2VjcmV0", HttpStatusCode.Unauthorized),
            ("garbage", "not-a-credential", HttpStatusCode.Unauthorized),
        };
        var theirAddresses = theirs.Roster.SelectMany(r => r.BroadcastAddresses).ToList();
        var mailsBefore = await MailsToAsync(theirAddresses);
        var rowsBefore = await fixture.Database.ScalarAsync(BroadcastRowsSql);
        var schoolVersionBefore = await SchoolStateVersionAsync(theirs);
        var ptaVersionBefore = await StateVersionAsync("pta", theirs);
        Assert.True(ptaVersionBefore > 0, "the other school's PTA state row is where the PTA storage check looks");
        Assert.True(schoolVersionBefore > 0, "the other school's state row is where the storage check looks");
        Assert.True(await fixture.Database.ScalarAsync(
            "SELECT count(DISTINCT graintypestring) FROM orleansstorage WHERE graintypestring IN ('broadcast', 'shard')") == 2,
            "the storage check counts broadcast and delivery-shard rows; a renamed state must be renamed there too (graintypestring holds the PersistentState name)");
        var idempotencyKeys = new List<string>();

        foreach (var (who, token, expected) in callers)
        {
            using var client = token is null ? fixture.Anonymous() : fixture.WithToken(token);
            foreach (var operation in operations)
            {
                using var request = operation.Request(values);
                if (request.Headers.TryGetValues("Idempotency-Key", out var keys))
                {
                    idempotencyKeys.AddRange(keys);
                }

                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                // An operation with no id in its path (GET /api/v1/session) is about the caller itself: another
                // tenant's valid credential gets its own answer, which must not mention this tenant.
                var aboutCaller = !operation.Path.Contains('{', StringComparison.Ordinal) && expected == HttpStatusCode.NotFound;
                // CAP intake (a Test alert here: a dry run about the caller's own board) takes board credentials only.
                var schoolAtCap = operation.Path == "/api/v1/cap" && token == mine.SchoolToken;
                aboutCaller &= !schoolAtCap;
                var want = schoolAtCap ? HttpStatusCode.Forbidden : aboutCaller ? HttpStatusCode.OK : expected;
                Assert.True(response.StatusCode == want, $"{operation} with {who}: expected {(int)want}, got {(int)response.StatusCode} {body}");
                if (aboutCaller)
                {
                    Assert.DoesNotContain(theirs.School.SchoolId, body, StringComparison.Ordinal);
                    Assert.DoesNotContain(theirs.School.BoardId, body, StringComparison.Ordinal);
                    continue;
                }

                Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson,
                    $"{operation} with {who}: {(int)response.StatusCode} came as '{response.Content.Headers.ContentType}', not {ProblemJson}: {body}");
            }
        }

        // A broadcast is committed before 202, so the row count catches one at once; the mail check is the symptom.
        Assert.True(await MailsToAsync(theirAddresses) == mailsBefore, "refused calls sent mail to the other school's guardians");
        Assert.True(await fixture.Database.ScalarAsync(BroadcastRowsSql) == rowsBefore, "refused calls stored broadcast or delivery-shard state");
        Assert.True(await SchoolStateVersionAsync(theirs) == schoolVersionBefore, "refused calls changed the other school's stored state (e.g. its registration code)");
        Assert.True(await StateVersionAsync("pta", theirs) == ptaVersionBefore, "refused calls changed the other school's stored PTA state (profile, officers, members)");
        Assert.NotEmpty(idempotencyKeys);
        foreach (var key in idempotencyKeys)
        {
            Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(Ids.BroadcastId(theirs.School.SchoolId, key)).GetAsync());
        }
    }

    [Fact]
    public async Task A_guardian_link_shows_its_own_guardian_only_and_a_tampered_or_foreign_link_is_404()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var suffix = tenant.School.SchoolId[2..];
        string[] x = [$"link.x.{suffix}@docomo.ne.jp", $"link.x.work.{suffix}@gmail.com"];
        string[] y = [$"link.y.{suffix}@ezweb.ne.jp", $"link.y.work.{suffix}@au.com"];
        var tokenX = await GuardianMail.RegisterAsync(fixture, tenant, x[0], [x[1]]);
        var tokenY = await GuardianMail.RegisterAsync(fixture, tenant, y[0], [y[1]]);
        using var anonymous = fixture.Anonymous();
        using (var pta = await fixture.WithToken(tenant.SchoolToken).PutAsJsonAsync($"/api/v1/schools/{tenant.School.SchoolId}/pta", new { name = "PTA" }))
        {
            pta.EnsureSuccessStatusCode(); // a real PTA, so a refused join below is the forged link's doing
        }

        var ptaId = Ids.PtaId(tenant.School.SchoolId);
        var operations = (await MaskedAddressWalkerTests.OperationsAsync(anonymous)).Where(o => o.Path.StartsWith("/api/v1/me/", StringComparison.Ordinal)).ToList();
        Assert.Contains(operations, o => o.Method == HttpMethod.Get);

        foreach (var (token, own, other) in new[] { (tokenX, x, y), (tokenY, y, x) })
        {
            var view = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{token}");
            Assert.Equal(own, view.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
            foreach (var operation in operations.Where(o => o.Method == HttpMethod.Get))
            {
                using var response = await anonymous.SendAsync(operation.Request(LinkValues(token, ptaId)));
                var seen = await MaskedAddressWalkerTests.EverythingReadableAsync(response);
                Assert.True(response.IsSuccessStatusCode, $"{operation} with {own[0]}'s link: {(int)response.StatusCode} {seen}");
                Assert.All(own, a => Assert.True(seen.Contains(a, StringComparison.OrdinalIgnoreCase), $"{operation} with {own[0]}'s link: {a} missing"));
                Assert.All(other, a => Assert.False(seen.Contains(a, StringComparison.OrdinalIgnoreCase), $"{operation} with {own[0]}'s link shows another guardian's {a}"));
            }
        }

        var before = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{tokenX}");
        var guardianX = before.GetProperty("guardianId").GetString()!;
        var dot = tokenX.IndexOf('.', StringComparison.Ordinal);
        var otherKey = new LinkSigner(Options.Create(new GuardianLinkOptions { SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }), TimeProvider.System);
        var forged = new (string What, string Token)[]
        {
            ("one character of the payload changed", OneCharacterChanged(tokenX, dot / 2)),
            ("one character of the signature changed", OneCharacterChanged(tokenX, dot + 1 + ((tokenX.Length - dot) / 2))),
            ("signed with another key", otherKey.ManageToken(guardianX)),
            ("X's payload with Y's signature", tokenX[..dot] + tokenY[tokenY.IndexOf('.', StringComparison.Ordinal)..]),
        };
        foreach (var (what, token) in forged)
        {
            foreach (var operation in operations)
            {
                using var response = await anonymous.SendAsync(operation.Request(LinkValues(token, ptaId)));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{operation} with a link {what}: expected 404, got {(int)response.StatusCode} {body}");
                Assert.True(response.Content.Headers.ContentType?.MediaType == ProblemJson, $"{operation} with a link {what}: '{response.Content.Headers.ContentType}', not {ProblemJson}");
                Assert.All(x.Concat(y), a => Assert.False(body.Contains(a, StringComparison.OrdinalIgnoreCase), $"{operation} with a link {what} shows {a}"));
            }
        }

        // The forged calls included withdraw, address changes and the broadcast switch: none may have taken effect.
        var after = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{tokenX}");
        Assert.Equal("active", after.GetProperty("status").GetString());
        Assert.True(after.GetProperty("receiveBroadcasts").GetBoolean());
        Assert.Empty(after.GetProperty("ptas").EnumerateArray());
        Assert.Equal(x, after.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        // Expiry is not covered here: the fixture's clock is the real one and its signing key is not exposed.
    }

    /// <summary>Values for a guardian link's routes; slot 1 is always a valid slot, the PTA is the guardian's school's.</summary>
    private static Dictionary<string, string> LinkValues(string token, string ptaId) => new() { ["token"] = token, ["slot"] = "1", ["ptaId"] = ptaId };

    /// <summary>The token with the character at <paramref name="index"/> replaced by another of the same alphabet.</summary>
    private static string OneCharacterChanged(string token, int index) =>
        string.Concat(token.AsSpan(0, index), token[index] == 'A' ? "B" : "A", token.AsSpan(index + 1));

    private async Task<int> MailsToAsync(IReadOnlyList<string> addresses) =>
        fixture.Sink.Messages().Count(m => addresses.Any(a => SmtpSink.To(a)(m)));

    /// <summary>The sum of the stored versions of a school's grain state: it moves with every write.</summary>
    private Task<long> SchoolStateVersionAsync(TestTenant tenant) => StateVersionAsync("school", tenant);

    /// <summary>The same for any state whose grain key ends with the school id (the school's, its PTA's <c>pta-…</c>).</summary>
    private Task<long> StateVersionAsync(string stateName, TestTenant tenant) =>
        fixture.Database.ScalarAsync(
            "SELECT coalesce(sum(version), 0) FROM orleansstorage WHERE graintypestring = $2 AND grainidextensionstring LIKE '%' || $1",
            tenant.School.SchoolId, stateName);
}
