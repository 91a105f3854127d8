using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Console.Tests;

/// <summary>
/// The gateway as production runs it (co-hosted silo on a fresh PostgreSQL database, MailKit to a real smtp-sink,
/// the registration mailbox on a real Dovecot), listening on a loopback Kestrel port a browser can reach, and Debian's
/// headless Chromium driven by Playwright's bundled driver (no browser download). Carrier shaping is on at a low rate
/// so a send takes seconds and the console's live bar can be seen between 0 and 100 %. One per test collection.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Mails per second per carrier: 200 guardians over five carriers take about four seconds.</summary>
    public const int MessagesPerSecond = 10;

    private WebApplicationFactory<Program> _factory = null!;
    private IPlaywright _playwright = null!;

    public PostgresTestDatabase Database { get; private set; } = null!;

    public SmtpSink Sink { get; private set; } = null!;

    public DovecotServer Mailbox { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the gateway listens, e.g. http://127.0.0.1:41234; guardian links in mails point here too.</summary>
    public string BaseUrl { get; private set; } = "";

    public IGrainFactory Grains => _factory.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        Database = await PostgresTestDatabase.CreateAsync("console");
        Sink = await SmtpSink.StartAsync();
        Mailbox = await DovecotServer.StartAsync();
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        var settings = GatewayTestSettings.Production("console-tests", Database, Sink, BaseUrl, FreePort.Next());
        GatewayTestSettings.AddShaping(settings, MessagesPerSecond);
        settings["Pta:Inbound:Imap:Enabled"] = "true";
        settings["Pta:Inbound:Imap:Host"] = Mailbox.Host;
        settings["Pta:Inbound:Imap:Port"] = Mailbox.Port.ToString(CultureInfo.InvariantCulture);
        settings["Pta:Inbound:Imap:UserName"] = Mailbox.UserName;
        settings["Pta:Inbound:Imap:Password"] = Mailbox.Password;
        settings["Pta:Inbound:Imap:PollSeconds"] = "1";

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        _factory.UseKestrel();
        _factory.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserPath,
            Headless = true,
            // Chromium's own sandbox needs user namespaces, which a CI container running as root does not grant.
            ChromiumSandbox = false,
        });
    }

    /// <summary>Debian's chromium (tests/run-all.sh installs it); PTA_CHROMIUM overrides.</summary>
    public static string BrowserPath =>
        Environment.GetEnvironmentVariable("PTA_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    /// <summary>A fresh browser profile (its own sessionStorage), as a second person at another computer or phone.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900, bool mobile = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = mobile,
            HasTouch = mobile,
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
        });

    /// <summary>
    /// A board with one school of <paramref name="guardians"/> guardians (carriers in turn) and five credentials: the
    /// principal's (School), an operator's, the board's administrator and staff, and another school's principal (for
    /// the isolation check).
    /// </summary>
    public async Task<ConsoleTenant> CreateTenantAsync(int guardians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"b-{suffix}";
        var schoolId = $"s-{suffix}";
        var otherSchoolId = $"t-{suffix}";
        var school = new SchoolProfile(schoolId, boardId, "テスト市立さくら小学校", $"{schoolId}@mail.test-city.example", "さくら小学校");
        var other = new SchoolProfile(otherSchoolId, boardId, "テスト市立もみじ小学校", $"{otherSchoolId}@mail.test-city.example", "もみじ小学校");
        await Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "テスト市教育委員会", $"board@{boardId}.example", [schoolId, otherSchoolId]));
        await Grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(school);
        await Grains.GetGrain<ISchoolGrain>(otherSchoolId).ConfigureAsync(other);
        var roster = Enumerable.Range(0, guardians)
            .Select(n => new RosterEntry($"g{n:D4}", n % 6 + 1, (n / 6 % 2 + 1).ToString(CultureInfo.InvariantCulture),
                [$"hogosha{n:D4}.{suffix}@{Carriers[n % Carriers.Length]}"]))
            .ToList();
        await Grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(roster);
        await Grains.GetGrain<ISchoolGrain>(otherSchoolId).ReplaceRosterAsync(
            [.. Enumerable.Range(0, 6).Select(n => new RosterEntry($"o{n:D4}", 1, "1", [$"other{n:D4}.{suffix}@gmail.com"]))]);
        await Grains.GetGrain<ISchoolGrain>(schoolId).SetAuthCodeAsync(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AuthCode)));
        return new ConsoleTenant(
            school,
            roster,
            await ApiCredentials.IssueAsync(Grains, CredentialRole.School, boardId, schoolId, "校長 山本"),
            await ApiCredentials.IssueAsync(Grains, CredentialRole.Operator, boardId, schoolId, "教頭 佐藤"),
            await ApiCredentials.IssueAsync(Grains, CredentialRole.Board, boardId, null, "教育委員会 田中"),
            await ApiCredentials.IssueAsync(Grains, CredentialRole.BoardOperator, boardId, null, "教育委員会 鈴木"),
            other,
            await ApiCredentials.IssueAsync(Grains, CredentialRole.School, boardId, otherSchoolId, "もみじ小 校長"));
    }

    /// <summary>The registration auth code of every test school.</summary>
    public const string AuthCode = "1234-5678";

    private static readonly string[] Carriers = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "gmail.com", "au.com"];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
        await Mailbox.DisposeAsync();
        await Sink.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A board, its school under test with roster and credentials, and a second school of the same board.</summary>
public sealed record ConsoleTenant(
    SchoolProfile School,
    IReadOnlyList<RosterEntry> Roster,
    string PrincipalToken,
    string OperatorToken,
    string BoardToken,
    string BoardOperatorToken,
    SchoolProfile OtherSchool,
    string OtherPrincipalToken);

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
