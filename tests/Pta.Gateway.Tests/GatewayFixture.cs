using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// The gateway as production runs it (co-hosted silo, ADO.NET clustering, storage and reminders on a fresh
/// PostgreSQL database), sending through MailKit to a real smtp-sink process. One per test collection.
/// Y!mobile addresses take a direct route to a carrier emulator instead, which answers 550 5.1.1 to local parts
/// starting with "unknown": a real bounce for the tests that need one. A subclass may add settings and test services
/// (its own collection then gets its own gateway, e.g. with low rate limits).
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program> _factory = null!;

    public PostgresTestDatabase Database { get; private set; } = null!;

    public SmtpSink Sink { get; private set; } = null!;

    /// <summary>The registration mailbox the gateway's silo polls for blank mails.</summary>
    public DovecotServer Mailbox { get; private set; } = null!;

    /// <summary>The carrier that Y!mobile addresses are routed to (tests/emulator, defaults).</summary>
    public CarrierEmulator Carrier { get; private set; } = null!;

    public IGrainFactory Grains => _factory.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The gateway's (and its co-hosted silo's) services, e.g. the stores a test writes to directly.</summary>
    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        Database = await PostgresTestDatabase.CreateAsync("gateway");
        Sink = await SmtpSink.StartAsync();
        Mailbox = await DovecotServer.StartAsync();
        // Y!mobile mail goes to the emulator; local parts starting "dropdata" lose their first connection right after
        // DATA was taken, "cutdata" lose it in the middle of the message, "slowreply" get their first reply 3 s late
        // (SmtpFaultTests).
        Carrier = await CarrierEmulator.StartAsync(
            """{"carriers": {"ymobile": {"drop_after_data": "^dropdata", "drop_during_data": "^cutdata", "slow_reply": "^slowreply", "slow_reply_seconds": 3}}}""");
        var settings = new Dictionary<string, string>
        {
            ["Pta:Cluster:Mode"] = "PostgreSql",
            ["Pta:Cluster:ClusterId"] = "gateway-tests",
            ["Pta:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Postgres:ConnectionString"] = Database.ConnectionString,
            ["Pta:Smtp:Host"] = "127.0.0.1",
            ["Pta:Smtp:Port"] = Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Smtp:Connections"] = "4",
            ["Pta:Smtp:Routes:Ymobile:Host"] = "127.0.0.1",
            ["Pta:Smtp:Routes:Ymobile:Port"] = Carrier.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Smtp:Routes:Ymobile:Connections"] = "2",
            ["Pta:Demo:Seed"] = "false",
            ["Pta:Links:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Pta:Links:PublicBaseUrl"] = "http://pta.test",
            ["Pta:Inbound:Imap:Enabled"] = "true",
            ["Pta:Inbound:Imap:Host"] = Mailbox.Host,
            ["Pta:Inbound:Imap:Port"] = Mailbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pta:Inbound:Imap:UserName"] = Mailbox.UserName,
            ["Pta:Inbound:Imap:Password"] = Mailbox.Password,
            ["Pta:Inbound:Imap:PollSeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in TestAtRestKeys.Settings)
        {
            settings[key] = value; // guardian addresses sealed at rest, as production must
        }

        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(ConfigureTestServices);
        });
        _ = _factory.Server; // start the host (and its silo) now, not in the first test
    }

    /// <summary>Settings a subclass adds to (or overrides in) the gateway's configuration.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    /// <summary>Test-only services a subclass adds to the gateway, after the application's own.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>An HTTP client with no credential.</summary>
    public HttpClient Anonymous() => _factory.CreateClient();

    /// <summary>An HTTP client that presents the given token.</summary>
    public HttpClient WithToken(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A board with one school of <paramref name="guardians"/> guardians, and credentials for both.</summary>
    public async Task<TestTenant> CreateTenantAsync(int guardians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"b-{suffix}";
        var schoolId = $"s-{suffix}";
        var school = new SchoolProfile(schoolId, boardId, $"テスト市立第{suffix}小学校", $"{schoolId}@mail.test-city.example", "テスト小学校");
        await Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "テスト市教育委員会", $"board@{boardId}.example", [schoolId]));
        await Grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(school);
        var roster = Enumerable.Range(0, guardians)
            .Select(n => new RosterEntry($"g{n:D4}", n % 6 + 1, (n / 6 % 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"hogosha{n:D4}.{suffix}@{Carriers[n % Carriers.Length]}"]))
            .ToList();
        await Grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(roster);
        await Grains.GetGrain<ISchoolGrain>(schoolId).SetAuthCodeAsync(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AuthCode)));
        var schoolToken = await ApiCredentials.IssueAsync(Grains, CredentialRole.School, boardId, schoolId, "test staff");
        var boardToken = await ApiCredentials.IssueAsync(Grains, CredentialRole.Board, boardId, null, "test board");
        return new TestTenant(school, roster, schoolToken, boardToken);
    }

    /// <summary>The registration auth code every test school gets.</summary>
    public const string AuthCode = "1234-5678";

    private static readonly string[] Carriers = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "gmail.com", "au.com"];

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Mailbox.DisposeAsync();
        await Carrier.DisposeAsync();
        await Sink.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A board, one of its schools, its roster and the two credentials.</summary>
public sealed record TestTenant(SchoolProfile School, IReadOnlyList<RosterEntry> Roster, string SchoolToken, string BoardToken);

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
