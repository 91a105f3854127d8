using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// PTA sending end to end: a PTA inside a school, members only by a guardian's explicit opt-in through the
/// self-service link, PTA mail from the PTA's own address to members only, leaving at once, officers
/// changing without the sender changing, masked member lists, and other tenants kept out.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PtaTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Only_opted_in_members_receive_PTA_mail_from_the_PTA_sender_and_leaving_takes_effect_at_once()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        var other = await fixture.CreateTenantAsync(guardians: 1);
        var schoolId = tenant.School.SchoolId;
        var suffix = schoolId[2..];
        var member = $"pta.member.{suffix}@docomo.ne.jp";
        var nonMember = $"pta.other.{suffix}@ezweb.ne.jp";
        var secondMember = $"pta.second.{suffix}@softbank.ne.jp"; // a PTA mail to one member alone would be refused (seed 001 §8)
        var memberToken = await GuardianMail.RegisterAsync(fixture, tenant, member, []);
        var secondMemberToken = await GuardianMail.RegisterAsync(fixture, tenant, secondMember, []);
        var nonMemberToken = await GuardianMail.RegisterAsync(fixture, tenant, nonMember, []);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var anonymous = fixture.Anonymous();

        using var configured = await staff.PutAsJsonAsync($"/api/v1/schools/{schoolId}/pta", new { name = "テスト小学校PTA" });
        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        var pta = await configured.Content.ReadFromJsonAsync<JsonElement>();
        var ptaId = pta.GetProperty("ptaId").GetString()!;
        var sender = pta.GetProperty("senderAddress").GetString()!;
        Assert.Equal($"{schoolId}.pta@mail.test-city.example", sender);
        using (var ownPta = await fixture.WithToken(other.SchoolToken).PutAsJsonAsync($"/api/v1/schools/{other.School.SchoolId}/pta", new { name = "よそのPTA" }))
        {
            Assert.Equal(HttpStatusCode.OK, ownPta.StatusCode);
        }

        // Opt-in: explicit consent only, and only into a PTA of a school of one's own children.
        using var noConsent = await anonymous.PostAsJsonAsync($"/api/v1/me/{nonMemberToken}/ptas/{ptaId}", new { consent = false });
        Assert.Equal(HttpStatusCode.BadRequest, noConsent.StatusCode);
        Assert.True((await noConsent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("consent", out _));
        using var foreignPta = await anonymous.PostAsJsonAsync($"/api/v1/me/{memberToken}/ptas/pta-{other.School.SchoolId}", new { consent = true });
        Assert.Equal(HttpStatusCode.NotFound, foreignPta.StatusCode);
        using var joined = await anonymous.PostAsJsonAsync($"/api/v1/me/{memberToken}/ptas/{ptaId}", new { consent = true });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Contains(ptaId, (await joined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ptas").EnumerateArray().Select(p => p.GetString()));
        using var secondJoined = await anonymous.PostAsJsonAsync($"/api/v1/me/{secondMemberToken}/ptas/{ptaId}", new { consent = true });
        Assert.Equal(HttpStatusCode.OK, secondJoined.StatusCode);

        // A PTA broadcast reaches the member alone, from the PTA's address.
        var subject = $"PTAだより {suffix}";
        using var withAudience = await staff.SendAsync(PtaPost(schoolId, new { subject, body = "総会のお知らせ", category = "info", audience = new { grades = new[] { 1 } } }));
        Assert.Equal(HttpStatusCode.BadRequest, withAudience.StatusCode);
        using var sent = await staff.SendAsync(PtaPost(schoolId, new { subject, body = "総会のお知らせ", category = "info" }));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var view = await BroadcastPolling.WaitForStatusAsync(staff, sent.Headers.Location!.ToString());
        Assert.Equal(2, view.GetProperty("counts").GetProperty("recipients").GetInt32());
        Assert.Equal(ptaId, view.GetProperty("ptaId").GetString());
        var mails = await fixture.Sink.WaitForAsync(m => m.Message.Subject == subject, 2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, mails.Count);
        var mail = Assert.Single(mails, m => SmtpSink.To(member)(m));
        Assert.Single(mails, m => SmtpSink.To(secondMember)(m));
        Assert.Equal(sender, mail.Message.From.Mailboxes.Single().Address);

        // Staff see members with masked addresses only.
        var shown = await staff.GetStringAsync($"/api/v1/schools/{schoolId}/pta");
        Assert.Equal(2, JsonDocument.Parse(shown).RootElement.GetProperty("memberCount").GetInt32());
        Assert.Contains(string.Concat(member.AsSpan(0, 1), "***", member.AsSpan(member.IndexOf('@', StringComparison.Ordinal))), shown, StringComparison.Ordinal);
        Assert.All(tenant.Roster.SelectMany(r => r.BroadcastAddresses).Append(member).Append(secondMember).Append(nonMember),
            a => Assert.DoesNotContain(a, shown, StringComparison.OrdinalIgnoreCase));

        // The yearly change of officers leaves the sender address alone.
        foreach (var (year, chair) in new[] { (2026, "佐藤"), (2027, "鈴木") })
        {
            using var officers = await staff.PutAsJsonAsync($"/api/v1/schools/{schoolId}/pta/officers",
                new { fiscalYear = year, officers = new[] { new { role = "会長", name = chair }, new { role = "会計", name = "高橋" } } });
            Assert.Equal(HttpStatusCode.OK, officers.StatusCode);
            var after = await officers.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(sender, after.GetProperty("senderAddress").GetString());
            Assert.All(after.GetProperty("officers").EnumerateArray(), o => Assert.Equal(year, o.GetProperty("fiscalYear").GetInt32()));
            Assert.Equal(chair, after.GetProperty("officers")[0].GetProperty("name").GetString());
        }

        // Leaving: off the list at once, the consent kept with its withdrawal time.
        using var left = await anonymous.DeleteAsync($"/api/v1/me/{memberToken}/ptas/{ptaId}");
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        // With the leaver gone only one member is left, and mail to one person is refused: the list changed at once.
        using var toOne = await staff.SendAsync(PtaPost(schoolId, new { subject = subject + " 2", body = "総会のお知らせ", category = "info" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, toOne.StatusCode);
        Assert.Equal("Audience is a single guardian", (await toOne.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        var export = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{memberToken}/export");
        var consent = Assert.Single(export.GetProperty("consents").EnumerateArray(), c => c.GetProperty("purpose").GetString() == $"pta:{ptaId}");
        Assert.Equal(JsonValueKind.String, consent.GetProperty("withdrawnAt").ValueKind);
        Assert.False(string.IsNullOrEmpty(consent.GetProperty("ipAddress").GetString()));
        Assert.Empty(export.GetProperty("ptas").EnumerateArray());
    }

    [Fact]
    public async Task Another_schools_or_boards_credential_gets_404_on_every_PTA_route()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var stranger = await fixture.CreateTenantAsync(guardians: 1);
        var schoolId = tenant.School.SchoolId;
        using var staff = fixture.WithToken(tenant.SchoolToken);
        (await staff.PutAsJsonAsync($"/api/v1/schools/{schoolId}/pta", new { name = "PTA" })).EnsureSuccessStatusCode();
        using var board = fixture.WithToken(tenant.BoardToken);
        Assert.Equal(HttpStatusCode.OK, (await board.GetAsync($"/api/v1/schools/{schoolId}/pta")).StatusCode);

        foreach (var token in new[] { stranger.SchoolToken, stranger.BoardToken })
        {
            using var client = fixture.WithToken(token);
            var answers = new[]
            {
                await client.GetAsync($"/api/v1/schools/{schoolId}/pta"),
                await client.PutAsJsonAsync($"/api/v1/schools/{schoolId}/pta", new { name = "乗っ取り" }),
                await client.PutAsJsonAsync($"/api/v1/schools/{schoolId}/pta/officers", new { fiscalYear = 2026, officers = new[] { new { role = "会長", name = "x" } } }),
                await client.SendAsync(PtaPost(schoolId, new { subject = "x", body = "x", category = "info" })),
            };
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
            Assert.All(answers, a => Assert.Equal("application/problem+json", a.Content.Headers.ContentType?.MediaType));
        }

        var unchanged = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{schoolId}/pta");
        Assert.Equal("PTA", unchanged.GetProperty("name").GetString());
        Assert.Empty(unchanged.GetProperty("officers").EnumerateArray());
    }

    private static HttpRequestMessage PtaPost(string schoolId, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{schoolId}/pta/broadcasts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }
}
