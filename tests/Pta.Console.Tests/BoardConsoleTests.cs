using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Pta.Console.Tests;

/// <summary>
/// The board console in headless Chromium: a city-wide alert to chosen schools and grades, its per-school progress
/// grid filling to 100 % live, and the cluster view; board staff's drafts, read and approved by an administrator; and
/// a school's principal sees only their own school, in the console as in the API.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BoardConsoleTests(ConsoleFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_board_sends_to_chosen_schools_and_grades_watches_each_school_reach_100_and_a_school_sees_only_its_own_line()
    {
        SetDefaultExpectTimeout(15_000);
        var tenant = await fixture.CreateTenantAsync(guardians: 60);
        await using var boardContext = await fixture.NewContextAsync();
        var board = await boardContext.NewPageAsync();
        await board.GotoAsync("/console");
        await SchoolConsoleTests.SignInAsync(board, tenant.BoardToken);
        await Expect(board.Locator("#view-board")).ToBeVisibleAsync();
        await Expect(board.Locator("nav >> text=配信を作成")).ToBeHiddenAsync(); // the school views are not the board's

        await board.Locator("#board-subject").FillAsync("【緊急】大雨による一斉下校");
        await board.Locator("#board-body").FillAsync("保護者の皆様\n大雨のため、本日は14時に一斉下校とします。\nテスト市教育委員会");
        await board.GetByLabel(tenant.School.Name).CheckAsync();
        await board.GetByLabel(tenant.OtherSchool.Name).CheckAsync();
        await board.GetByLabel("1年", new() { Exact = true }).CheckAsync();
        await board.GetByLabel("2年", new() { Exact = true }).CheckAsync();
        await Screenshots.TakeAsync(board, "30-board-compose");
        await PageChecks.AssertAccessibleAsync(board, "board compose");
        await board.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();

        // Grades 1 and 2: the roster's guardians n with n % 6 + 1 in {1, 2} at the first school, all six at the other.
        var expected = tenant.Roster.Count(r => r.Grade is 1 or 2);
        await Expect(board.Locator("#view-detail")).ToBeVisibleAsync();
        var cells = board.Locator("#detail-schools .grid-cell");
        await Expect(cells).ToHaveCountAsync(2);
        var ours = board.Locator($"#school-{tenant.School.SchoolId}");
        var theirs = board.Locator($"#school-{tenant.OtherSchool.SchoolId}");
        await Expect(ours).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(theirs).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(ours).ToHaveAttributeAsync("aria-valuetext", $"送信済み {expected}・再送待ち 0・不達 0 / 宛先 {expected} 件");
        await Expect(theirs).ToHaveAttributeAsync("aria-valuetext", "送信済み 6・再送待ち 0・不達 0 / 宛先 6 件");
        await Expect(board.Locator("#detail-schools")).ToContainTextAsync(tenant.OtherSchool.Name);
        await Screenshots.TakeAsync(board, "31-board-progress-grid");
        await PageChecks.AssertAccessibleAsync(board, "board progress grid");
        var broadcastUrl = board.Url;

        // The cluster view: the one silo of this gateway, and every carrier at its configured rate, not backing off.
        await board.ClickAsync("nav >> text=クラスタ");
        await Expect(board.Locator("#cluster-silos tbody tr")).ToHaveCountAsync(1);
        // ...with its send rate and total sent, once it has reported them (every 2 s; the view reads every 5 s).
        await Expect(board.Locator("#cluster-silos thead")).ToContainTextAsync("送信速度");
        await Expect(board.Locator("#cluster-silos tbody tr")).ToContainTextAsync("通/秒");
        var docomo = board.Locator("#cluster-carriers tbody tr").Filter(new() { HasText = "ドコモ" });
        await Expect(docomo).ToContainTextAsync($"{ConsoleFixture.MessagesPerSecond} 通/秒");
        await Expect(docomo).ToContainTextAsync("100%");
        await Screenshots.TakeAsync(board, "33-board-cluster");
        await PageChecks.AssertAccessibleAsync(board, "cluster view");

        // The other school's principal opens the same broadcast: only their own school's line and figures.
        await using var otherContext = await fixture.NewContextAsync();
        var other = await otherContext.NewPageAsync();
        await other.GotoAsync("/console");
        await SchoolConsoleTests.SignInAsync(other, tenant.OtherPrincipalToken);
        await Expect(other.Locator("#who")).ToContainTextAsync(tenant.OtherSchool.Name);
        await other.GotoAsync(broadcastUrl);
        await Expect(other.Locator("#detail-send")).ToHaveAttributeAsync("aria-valuetext", "送信済み 6・再送待ち 0・不達 0 / 宛先 6 件");
        await Expect(other.Locator("#view-detail")).Not.ToContainTextAsync(tenant.School.Name);
        await Screenshots.TakeAsync(other, "32-other-school-sees-its-own-line");

        // ...and a broadcast of the first school is not there for them at all.
        using var principal = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        principal.DefaultRequestHeaders.Authorization = new("Bearer", tenant.PrincipalToken);
        using var own = await ConsoleApiTests.SubmitAsync(principal, tenant.School.SchoolId, new { subject = "校内連絡", body = "本文", category = "info" });
        var ownId = own.Headers.Location!.ToString().Split('/')[^1];
        await other.GotoAsync($"/console#broadcast/{ownId}");
        await Expect(other.Locator("#detail-title")).ToHaveTextAsync("この配信は見つかりません。");
        await other.GotoAsync("/console#broadcasts");
        await Expect(other.Locator("#view-broadcasts")).ToBeVisibleAsync();
        await Expect(other.Locator("#view-broadcasts")).Not.ToContainTextAsync("校内連絡");
    }

    [Fact]
    public async Task Board_staff_draft_an_alert_and_a_board_administrator_reads_and_approves_it_from_the_broadcast_page()
    {
        SetDefaultExpectTimeout(15_000);
        var tenant = await fixture.CreateTenantAsync(guardians: 12);
        await using var staffContext = await fixture.NewContextAsync();
        var staff = await staffContext.NewPageAsync();
        await staff.GotoAsync("/console");
        await SchoolConsoleTests.SignInAsync(staff, tenant.BoardOperatorToken);
        await Expect(staff.Locator("nav >> text=クラスタ")).ToBeHiddenAsync(); // the cluster view is the administrators'
        await staff.SelectOptionAsync("#board-category", "info");
        await staff.Locator("#board-subject").FillAsync("【お知らせ】校外学習の持ち物");
        await staff.Locator("#board-body").FillAsync("保護者の皆様\n校外学習には雨具をお持たせください。");
        await staff.GetByLabel(tenant.OtherSchool.Name).CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        await Expect(staff.Locator("#detail-status")).ToHaveTextAsync("承認待ち");
        await Expect(staff.Locator("#detail-approval")).ToBeHiddenAsync(); // staff cannot approve their own draft
        var draftUrl = staff.Url;

        await using var adminContext = await fixture.NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/console");
        await SchoolConsoleTests.SignInAsync(admin, tenant.BoardToken);
        await admin.ClickAsync("nav >> text=配信状況");
        await admin.ClickAsync("#broadcasts-list >> text=【お知らせ】校外学習の持ち物");
        await Expect(admin).ToHaveURLAsync(draftUrl);
        await Expect(admin.Locator("#detail-text")).ToHaveTextAsync("保護者の皆様\n校外学習には雨具をお持たせください。");
        await Expect(admin.Locator("#detail-approval")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(admin, "34-board-approval");
        await PageChecks.AssertAccessibleAsync(admin, "board approval");
        await admin.GetByRole(AriaRole.Button, new() { Name = "承認して送信" }).ClickAsync();
        await Expect(admin.Locator("#detail-send")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Expect(admin.Locator("#detail-status")).ToHaveTextAsync("送信完了");
        await Expect(admin.Locator("#detail-send")).ToHaveAttributeAsync("aria-valuetext", "送信済み 6・再送待ち 0・不達 0 / 宛先 6 件");
    }
}
