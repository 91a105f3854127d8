using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pta.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Pta.Console.Tests;

/// <summary>
/// The issue's end-to-end run in headless Chromium: an operator composes from a template and asks for approval, the
/// principal reads the draft in the queue and approves it, the live bar (pushed by server-sent events) passes through
/// the middle to 100 %, a guardian opens the confirmation link of the mail smtp-sink received, and the console shows
/// one confirmed household. Screenshots of each page go to <see cref="Screenshots.Directory"/>.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SchoolConsoleTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private const int Guardians = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_operator_drafts_from_a_template_the_principal_approves_the_bar_reaches_100_and_a_guardians_click_shows_as_1_confirmed()
    {
        SetDefaultExpectTimeout(15_000);
        var tenant = await fixture.CreateTenantAsync(Guardians);

        // The operator: signs in with the keyboard, picks the class-closure template (an "info" broadcast, so it needs approval).
        await using var operatorContext = await fixture.NewContextAsync();
        var operatorPage = await OpenAsync(operatorContext);
        await Screenshots.TakeAsync(operatorPage, "01-sign-in");
        await PageChecks.AssertAccessibleAsync(operatorPage, "sign-in");
        await SignInAsync(operatorPage, tenant.OperatorToken);
        await Expect(operatorPage.Locator("#view-compose")).ToBeVisibleAsync();
        await Expect(operatorPage.Locator("#compose-count")).ToHaveAttributeAsync("data-households", Guardians.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await operatorPage.SelectOptionAsync("#compose-template", "gakkyu-heisa");
        await operatorPage.GetByLabel("学級", new() { Exact = true }).FillAsync("3年2組");
        await operatorPage.GetByLabel("理由", new() { Exact = true }).FillAsync("インフルエンザの流行");
        await operatorPage.GetByLabel("期間", new() { Exact = true }).FillAsync("11月25日から27日まで");
        await Expect(operatorPage.Locator("#preview-subject")).ToHaveTextAsync("【学級閉鎖】3年2組の学級閉鎖について");
        await Expect(operatorPage.Locator("#preview-body")).ToContainTextAsync("テスト市立さくら小学校"); // {発信者}, filled as the gateway fills it
        await Expect(operatorPage.Locator("#preview-confirm")).ToBeVisibleAsync();

        // The live count follows the audience picker: one class, then the whole school again.
        var class32 = tenant.Roster.Count(r => r.Grade == 3 && r.Class == "2");
        await operatorPage.CheckAsync("#audience-some");
        await operatorPage.GetByLabel(new Regex("^3年2組")).CheckAsync();
        await Expect(operatorPage.Locator("#compose-count")).ToHaveAttributeAsync("data-households", class32.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshots.TakeAsync(operatorPage, "02-operator-compose");
        await PageChecks.AssertAccessibleAsync(operatorPage, "compose");
        await operatorPage.SetViewportSizeAsync(360, 740); // seed 001: operators send from a phone outside school too
        await Screenshots.TakeAsync(operatorPage, "02-operator-compose-360px");
        await PageChecks.AssertAccessibleAsync(operatorPage, "compose at 360 px");
        await operatorPage.SetViewportSizeAsync(1280, 900);
        await operatorPage.CheckAsync("#audience-all");
        await Expect(operatorPage.Locator("#compose-count")).ToHaveAttributeAsync("data-households", Guardians.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(operatorPage.Locator("#compose-submit")).ToHaveTextAsync("承認を依頼する");
        await operatorPage.ClickAsync("#compose-submit");
        await Expect(operatorPage.Locator("#view-queue")).ToBeVisibleAsync();
        await Expect(operatorPage.Locator(".queue-item h2")).ToHaveTextAsync("【学級閉鎖】3年2組の学級閉鎖について");
        await Expect(operatorPage.Locator(".queue-item")).ToContainTextAsync("校長（管理責任者）の承認を待っています");
        await Expect(operatorPage.Locator(".queue-item button")).ToHaveCountAsync(0); // an operator cannot approve
        Assert.DoesNotContain(fixture.Sink.Messages(), m => tenant.Roster.Any(r => SmtpSink.To(r.BroadcastAddresses[0])(m))); // a draft sends nothing
        await Screenshots.TakeAsync(operatorPage, "03-operator-queue");

        // The principal: another browser, reads the draft in the queue and approves it from the keyboard.
        await using var principalContext = await fixture.NewContextAsync();
        var principal = await OpenAsync(principalContext);
        var streams = new List<string>();
        principal.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/events", StringComparison.Ordinal))
            {
                lock (streams)
                {
                    streams.Add(request.Url);
                }
            }
        };
        await SignInAsync(principal, tenant.PrincipalToken);
        await principal.ClickAsync("nav >> text=承認待ち");
        var draft = principal.Locator(".queue-item");
        await Expect(draft.Locator(".mail-text")).ToContainTextAsync("3年2組ではインフルエンザの流行のため、11月25日から27日までを学級閉鎖とします。");
        await Expect(draft.Locator(".count")).ToContainTextAsync($"{Guardians} 世帯");
        await Screenshots.TakeAsync(principal, "04-principal-queue");
        await PageChecks.AssertAccessibleAsync(principal, "approval queue");
        await draft.GetByRole(AriaRole.Button, new() { Name = "承認して送信" }).FocusAsync();
        await principal.Keyboard.PressAsync("Enter");

        // The live view: record every value the send bar takes, without reloading the page.
        await Expect(principal.Locator("#view-detail")).ToBeVisibleAsync();
        await principal.EvaluateAsync("""
            () => { window.ptaSeen = [];
              const record = () => { const bar = document.getElementById('detail-send'); if (bar) window.ptaSeen.push(Number(bar.getAttribute('aria-valuenow'))); };
              new MutationObserver(record).observe(document.getElementById('detail-progress'), { childList: true, subtree: true }); record(); }
            """);
        await principal.WaitForFunctionAsync("() => window.ptaSeen.some(v => v > 0 && v < 100)", null, new() { Timeout = (float)Patience.TotalMilliseconds, PollingInterval = 50 });
        var duringSend = await Screenshots.TakeAsync(principal, "05-principal-during-send");
        output.WriteLine($"during the send: {duringSend}");
        await Expect(principal.Locator("#detail-send")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(principal.Locator("#detail-status")).ToHaveTextAsync("送信完了");
        var seen = await principal.EvaluateAsync<double[]>("() => window.ptaSeen");
        output.WriteLine($"send bar values seen: {string.Join(", ", seen.Distinct())}");
        Assert.True(seen.Distinct().Count() >= 3, $"the bar moved by pushes, not once: {string.Join(", ", seen)}");
        Assert.True(seen.SequenceEqual(seen.Order()), $"the bar never goes back: {string.Join(", ", seen)}");
        Assert.NotEmpty(streams);
        await Expect(principal.Locator("#detail-confirm")).ToHaveAttributeAsync("aria-valuetext", $"確認済み 0 / {Guardians} 世帯", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Screenshots.TakeAsync(principal, "06-principal-sent");
        await PageChecks.AssertAccessibleAsync(principal, "broadcast progress");

        // A guardian taps the confirmation link of the mail the carrier (smtp-sink) received, on a 360 px phone.
        var address = tenant.Roster[7].BroadcastAddresses[0];
        var mail = (await fixture.Sink.WaitForAsync(SmtpSink.To(address), 1, Patience))[0];
        var link = ConfirmationLink().Match(mail.Message.TextBody ?? "");
        Assert.True(link.Success, $"the mail to {address} carries a confirmation link: {mail.Message.TextBody}");
        Assert.StartsWith(fixture.BaseUrl + "/c/", link.Value, StringComparison.Ordinal);
        await using var phone = await fixture.NewContextAsync(360, 740, mobile: true);
        var guardian = await phone.NewPageAsync();
        await guardian.GotoAsync(link.Value);
        await Expect(guardian.Locator("h1")).ToHaveTextAsync("確認しました");
        await Expect(guardian.Locator("p[lang=en]")).ToContainTextAsync("Confirmed"); // no script on this page: English below the Japanese
        await Screenshots.TakeAsync(guardian, "07-guardian-confirmed-360px");
        await PageChecks.AssertAccessibleAsync(guardian, "confirmation page at 360 px");

        // The principal's console shows it without a reload: 1 confirmed household.
        await Expect(principal.Locator("#detail-confirm")).ToHaveAttributeAsync("aria-valuetext", $"確認済み 1 / {Guardians} 世帯", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(principal.Locator("#detail-chart svg desc")).ToContainTextAsync("1 世帯が確認済み");
        await Screenshots.TakeAsync(principal, "08-principal-1-confirmed");

        // The unconfirmed list (the audited phone-call list) in the page, and as the CSV download.
        await principal.ClickAsync("#detail-unconfirmed");
        await Expect(principal.Locator("#detail-unconfirmed-table caption")).ToContainTextAsync($"{Guardians - 1} 件");
        await Expect(principal.Locator("#detail-unconfirmed-table tbody tr")).ToHaveCountAsync(Guardians - 1);
        var csv = principal.Locator("#detail-csv");
        await Expect(csv).ToBeVisibleAsync();
        var download = await principal.RunAndWaitForDownloadAsync(() => csv.ClickAsync());
        var csvText = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal(Guardians - 1 + 1, csvText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header + households
        Assert.DoesNotContain(address, csvText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(tenant.Roster[8].BroadcastAddresses[0], csvText, StringComparison.OrdinalIgnoreCase); // masked, never whole
        await Screenshots.TakeAsync(principal, "09-principal-unconfirmed");
        await PageChecks.AssertAccessibleAsync(principal, "unconfirmed list");

        // English on request, for the same view.
        await principal.ClickAsync("#lang");
        await Expect(principal.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(principal.Locator("#detail-confirm")).ToHaveAttributeAsync("aria-valuetext", $"1 of {Guardians} households confirmed");
        await Expect(principal.Locator("#view-detail h2").First).ToHaveTextAsync("Progress");
        await Screenshots.TakeAsync(principal, "10-principal-english");
        lock (_trouble)
        {
            Assert.True(_trouble.Count == 0, string.Join("\n", _trouble));
        }
    }

    /// <summary>Script errors, console errors (a CSP violation is one) and requests that left the gateway, of every page opened.</summary>
    private readonly List<string> _trouble = [];

    private async Task<IPage> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        void Note(string what)
        {
            lock (_trouble)
            {
                _trouble.Add(what);
            }

            output.WriteLine(what);
        }

        page.PageError += (_, error) => Note($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Note($"console error: {message.Text}");
            }
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.BaseUrl + "/", StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                Note($"request outside the gateway: {request.Url}");
            }
        };
        await page.GotoAsync("/console");
        return page;
    }

    /// <summary>Signs in as staff do: the credential pasted into the field, Enter.</summary>
    internal static async Task SignInAsync(IPage page, string token)
    {
        await page.GetByLabel("API 認証情報").FillAsync(token);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#signout")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/c/[A-Za-z0-9_\-\.~]+")]
    private static partial Regex ConfirmationLink();
}
