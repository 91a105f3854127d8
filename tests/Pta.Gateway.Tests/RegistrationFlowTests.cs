using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Self-registration end to end over real mail protocols: a blank mail is delivered into the IMAP mailbox
/// (dovecot), the silo's poller answers with a link through SMTP (smtp-sink), the form registers the child,
/// completion mails verify the addresses, and the guardian then receives broadcasts.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RegistrationFlowTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_guardian_registers_by_blank_mail_and_then_receives_broadcasts()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        var sender = $"taro..yamada.{tenant.School.SchoolId[2..]}.@docomo.ne.jp"; // a pre-2009 docomo address
        const string second = "hanako.work@gmail.com";
        using var anonymous = fixture.Anonymous();

        var ticket = await GuardianMail.SendBlankMailAsync(fixture, tenant, sender);
        using var page = await anonymous.GetAsync($"/api/v1/registrations/{ticket}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(tenant.School.SchoolId, (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("schoolId").GetString());

        using var wrong = await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", GuardianMail.Form("0000-0000", grade: 3, [second]));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("authCode", out _));
        Assert.Equal(2, await ChildCountAsync(tenant));

        using var registered = await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", GuardianMail.Form(GatewayFixture.AuthCode, grade: 3, [second]));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var completions = await fixture.Sink.WaitForAsync(m => (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal)
            && (SmtpSink.To(sender)(m) || SmtpSink.To(second)(m)), 2, Patience);
        var token = GuardianMail.ManageToken().Match(completions[0].Message.TextBody ?? "").Groups[1].Value;

        var me = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{token}");
        Assert.All(me.GetProperty("addresses").EnumerateArray(), a => Assert.Equal("verified", a.GetProperty("status").GetString()));
        Assert.Equal([sender, second], me.GetProperty("addresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        var consent = Assert.Single(me.GetProperty("consents").EnumerateArray());
        Assert.Equal($"registration:{tenant.School.SchoolId}", consent.GetProperty("purpose").GetString());
        Assert.False(string.IsNullOrEmpty(consent.GetProperty("policyVersion").GetString()));
        Assert.False(string.IsNullOrEmpty(consent.GetProperty("ipAddress").GetString()));

        using var reuse = await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", GuardianMail.Form(GatewayFixture.AuthCode, grade: 3, []));
        Assert.Equal(HttpStatusCode.Conflict, reuse.StatusCode);

        using var staff = fixture.WithToken(tenant.SchoolToken);
        // Grade 2 adds a roster guardian: a broadcast to one guardian alone is refused (seed 001 §8).
        using var broadcast = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid(audience: new { grades = new[] { 2, 3 } })));
        await BroadcastPolling.WaitForStatusAsync(staff, broadcast.Headers.Location!.ToString());
        Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(sender)(m) && m.Message.Subject == Requests.Subject);
        Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(second)(m) && m.Message.Subject == Requests.Subject);
    }

    [Fact]
    public async Task A_second_child_joins_the_same_guardian_who_gets_one_copy_and_withdrawing_stops_mail()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2); // the roster's second guardian is in grade 2
        var sender = $"kyodai.{tenant.School.SchoolId[2..]}@ezweb.ne.jp";
        using var anonymous = fixture.Anonymous();

        var first = await GuardianMail.SendBlankMailAsync(fixture, tenant, sender);
        (await anonymous.PostAsJsonAsync($"/api/v1/registrations/{first}", GuardianMail.Form(GatewayFixture.AuthCode, grade: 2, [], child: "兄"))).EnsureSuccessStatusCode();
        var second = await GuardianMail.SendBlankMailAsync(fixture, tenant, sender);
        (await anonymous.PostAsJsonAsync($"/api/v1/registrations/{second}", GuardianMail.Form(GatewayFixture.AuthCode, grade: 5, [], child: "妹"))).EnsureSuccessStatusCode();
        var completion = await fixture.Sink.WaitForAsync(m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal), 1, Patience);
        var token = GuardianMail.ManageToken().Match(completion[0].Message.TextBody ?? "").Groups[1].Value;

        var me = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/me/{token}");
        Assert.Equal(2, me.GetProperty("children").GetArrayLength());

        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var toBoth = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid(audience: new { grades = new[] { 2, 5 } })));
        var view = await BroadcastPolling.WaitForStatusAsync(staff, toBoth.Headers.Location!.ToString());
        Assert.Equal(2, view.GetProperty("counts").GetProperty("recipients").GetInt32()); // one copy for both children, one for the roster's guardian
        Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(sender)(m) && m.Message.Subject == Requests.Subject);

        using var withdraw = await anonymous.PostAsync($"/api/v1/me/{token}/withdraw", null);
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        Assert.Equal("withdrawn", (await withdraw.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var afterWithdrawal = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid()));
        await BroadcastPolling.WaitForStatusAsync(staff, afterWithdrawal.Headers.Location!.ToString());
        Assert.Single(fixture.Sink.Messages(), m => SmtpSink.To(sender)(m) && m.Message.Subject == Requests.Subject);
        Assert.Equal(2, await ChildCountAsync(tenant)); // the roster's own children stay; the withdrawn guardian's children go
    }

    [Fact]
    public async Task Staff_see_masked_addresses_and_the_phone_call_list_and_links_reach_only_their_guardian()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        var sender = $"mask.{tenant.School.SchoolId[2..]}@softbank.ne.jp";
        using var anonymous = fixture.Anonymous();
        var ticket = await GuardianMail.SendBlankMailAsync(fixture, tenant, sender);
        (await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", GuardianMail.Form(GatewayFixture.AuthCode, grade: 1, [], child: "=HYPERLINK(\"x\")"))).EnsureSuccessStatusCode();
        var completion = await fixture.Sink.WaitForAsync(m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal), 1, Patience);
        var token = GuardianMail.ManageToken().Match(completion[0].Message.TextBody ?? "").Groups[1].Value;
        using var off = await anonymous.PutAsJsonAsync($"/api/v1/me/{token}/broadcasts", new { receive = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        using var staff = fixture.WithToken(tenant.SchoolToken);
        var children = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/children");
        var csv = await staff.GetStringAsync($"/api/v1/schools/{tenant.School.SchoolId}/unreachable?format=csv");
        using var tampered = await anonymous.GetAsync($"/api/v1/me/{token[..^2]}xx");
        using var otherSchool = fixture.WithToken((await fixture.CreateTenantAsync(guardians: 1)).SchoolToken);
        using var notYours = await otherSchool.GetAsync($"/api/v1/schools/{tenant.School.SchoolId}/children");

        Assert.Contains("m***@softbank.ne.jp", children, StringComparison.Ordinal);
        Assert.DoesNotContain(sender, children, StringComparison.OrdinalIgnoreCase);
        Assert.All(tenant.Roster, r => Assert.DoesNotContain(r.BroadcastAddresses[0], children, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("broadcasts switched off", csv, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal); // formula defused
        Assert.DoesNotContain(sender, csv, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notYours.StatusCode);
    }

    private async Task<int> ChildCountAsync(TestTenant tenant)
    {
        using var staff = fixture.WithToken(tenant.SchoolToken);
        return (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{tenant.School.SchoolId}/children")).GetArrayLength();
    }
}
