using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Pta.Grains.Registration;
using Pta.Testing;
using static Microsoft.Playwright.Assertions;

namespace Pta.Console.Tests;

/// <summary>
/// A guardian registers on a 360 px phone from the link in the reply to their blank mail (sent into the real
/// registration mailbox), then opens the self-service page from the completion mail: the pages fit the screen (no
/// sideways scrolling), every control is labelled, text meets AA contrast.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class GuardianMobileTests(ConsoleFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int PhoneWidth = 360;

    [Fact]
    public async Task A_guardian_registers_from_the_mailed_link_on_a_360_px_phone_and_manages_the_registration()
    {
        SetDefaultExpectTimeout(15_000);
        var tenant = await fixture.CreateTenantAsync(guardians: 3);
        var sender = $"mobile.{tenant.School.SchoolId[2..]}@docomo.ne.jp";
        var registrationLink = await BlankMailReplyLinkAsync(tenant, sender);
        Assert.StartsWith(fixture.BaseUrl + "/register/", registrationLink, StringComparison.Ordinal);

        await using var phone = await fixture.NewContextAsync(PhoneWidth, 740, mobile: true);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(registrationLink);
        await Expect(page.Locator("#school-name")).ToHaveTextAsync(tenant.School.Name);
        await Screenshots.TakeAsync(page, "20-guardian-register-360px");
        await PageChecks.AssertAccessibleAsync(page, "registration form at 360 px");

        // English on request, then back to Japanese for the rest.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Register for school mail");
        await Expect(page.GetByLabel("Authentication code")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "20-guardian-register-english-360px");
        await PageChecks.AssertAccessibleAsync(page, "registration form in English at 360 px");
        await page.GetByRole(AriaRole.Button, new() { Name = "日本語" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("メール配信の登録");

        // A mistake first: the page names the field at fault.
        await page.GetByLabel("認証コード").FillAsync("0000-0000");
        await page.GetByLabel("学年").SelectOptionAsync("4");
        await page.GetByLabel(new Regex("^組")).FillAsync("1");
        await page.GetByLabel("お子様のお名前").FillAsync("山田 太郎");
        await page.GetByLabel("保護者のお名前").FillAsync("山田 花子");
        await page.GetByLabel("上記の個人情報の取り扱いに同意します").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "登録する" }).ClickAsync();
        await Expect(page.Locator("#authCode-error")).ToContainTextAsync("認証コードが違います");
        await Expect(page.Locator("#authCode")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshots.TakeAsync(page, "21-guardian-register-error-360px");
        await PageChecks.AssertAccessibleAsync(page, "registration error at 360 px");

        await page.GetByLabel("認証コード").FillAsync(ConsoleFixture.AuthCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "登録する" }).ClickAsync();
        await Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Expect(page.Locator("#done-title")).ToHaveTextAsync("登録を受け付けました");
        await Screenshots.TakeAsync(page, "22-guardian-registered-360px");
        await PageChecks.AssertAccessibleAsync(page, "registration done at 360 px");

        // The completion mail's self-service link: addresses, switch, withdraw, data download.
        var completion = await fixture.Sink.WaitForAsync(m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal), 1, Patience);
        var manage = SelfServiceLink().Match(completion[0].Message.TextBody ?? "");
        Assert.True(manage.Success, "the completion mail carries a self-service link");
        await page.GotoAsync(manage.Value);
        await Expect(page.Locator("#guardian-name")).ToHaveTextAsync("山田 花子");
        await Expect(page.Locator("#slots")).ToContainTextAsync(sender);
        await Expect(page.Locator("#export")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "23-guardian-self-service-360px");
        await PageChecks.AssertAccessibleAsync(page, "self-service at 360 px");
        Assert.True(await PageChecks.ScrollWidthAsync(page) <= PhoneWidth, "the self-service page fits a 360 px screen");

        // Text the page's script writes (address slots) follows the switch too.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your registration");
        await Expect(page.Locator("#slot-1-title")).ToHaveTextAsync("Address 1 (gets broadcasts)");
        await Expect(page.Locator("#slots")).ToContainTextAsync("verified");
        await Screenshots.TakeAsync(page, "24-guardian-self-service-english-360px");
        await PageChecks.AssertAccessibleAsync(page, "self-service in English at 360 px");
    }

    /// <summary>What the phone does: a blank mail to the school's registration address; the reply's link.</summary>
    private async Task<string> BlankMailReplyLinkAsync(ConsoleTenant tenant, string sender)
    {
        var raw = $"From: {sender}\r\nTo: {RegistrationAddress.For(tenant.School)}\r\nSubject: \r\n" +
                  $"Message-ID: <{Guid.NewGuid():N}@guardian.test>\r\nDate: {DateTimeOffset.UtcNow:R}\r\nMIME-Version: 1.0\r\n" +
                  "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
        await fixture.Mailbox.AppendAsync(MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw))));
        var reply = await fixture.Sink.WaitForAsync(m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録のご案内", StringComparison.Ordinal), 1, Patience);
        var link = RegistrationLink().Match(reply[0].Message.TextBody ?? "");
        Assert.True(link.Success, $"phase 'blank mail': the reply to {sender} carries a registration link");
        return link.Value;
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/register/rt-[0-9a-f]{32}")]
    private static partial Regex RegistrationLink();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/me/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")]
    private static partial Regex SelfServiceLink();
}
