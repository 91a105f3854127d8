using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Cli.Tests;

/// <summary>
/// The gateway as production runs it (co-hosted silo on a fresh PostgreSQL database, MailKit to a real smtp-sink)
/// on a loopback Kestrel port, so the CLI reaches it over real HTTP exactly as an operator's terminal would. Carrier
/// shaping is on at a low rate, so a send lasts a few seconds and a watch sees it move. One per test collection.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    /// <summary>Mails per second per carrier, cluster-wide: a 100-guardian send over five carriers takes about two seconds.</summary>
    public const int MessagesPerSecond = 10;

    private WebApplicationFactory<Program> _factory = null!;

    public PostgresTestDatabase Database { get; private set; } = null!;

    public SmtpSink Sink { get; private set; } = null!;

    /// <summary>Where the gateway listens, e.g. http://127.0.0.1:41234: the CLI's --gateway.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The co-hosted silo's port: <c>pta silos</c> must show it in the silo's address.</summary>
    public int SiloPort { get; private set; }

    public IGrainFactory Grains => _factory.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        Database = await PostgresTestDatabase.CreateAsync("cli");
        Sink = await SmtpSink.StartAsync();
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        SiloPort = FreePort.Next();
        var settings = GatewayTestSettings.Production("cli-tests", Database, Sink, BaseUrl, SiloPort);
        GatewayTestSettings.AddShaping(settings, MessagesPerSecond);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        _factory.UseKestrel();
        _factory.StartServer();
    }

    /// <summary>
    /// A board with two schools (<paramref name="guardians"/> guardians each, carriers in turn, two per grade at
    /// least) and three credentials: the board administrator's and each school's principal's.
    /// </summary>
    public async Task<CliTenant> CreateTenantAsync(int guardians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"b-{suffix}";
        SchoolProfile[] schools =
        [
            new($"s-{suffix}", boardId, "テスト市立さくら小学校", $"s-{suffix}@mail.test-city.example", "さくら小学校"),
            new($"t-{suffix}", boardId, "テスト市立もみじ小学校", $"t-{suffix}@mail.test-city.example", "もみじ小学校"),
        ];
        await Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "テスト市教育委員会", $"board@{boardId}.example", [.. schools.Select(s => s.SchoolId)]));
        var addresses = new List<string>();
        foreach (var school in schools)
        {
            var roster = Enumerable.Range(0, guardians)
                .Select(n => new RosterEntry($"g{n:D4}", n % 6 + 1, "1", [$"{school.SchoolId}.{n:D4}@{Carriers[n % Carriers.Length]}"]))
                .ToList();
            await Grains.GetGrain<ISchoolGrain>(school.SchoolId).ConfigureAsync(school);
            await Grains.GetGrain<ISchoolGrain>(school.SchoolId).ReplaceRosterAsync(roster);
            addresses.AddRange(roster.SelectMany(r => r.BroadcastAddresses));
        }

        return new CliTenant(
            boardId,
            schools,
            addresses,
            await ApiCredentials.IssueAsync(Grains, CredentialRole.Board, boardId, null, "教育委員会 田中"),
            await ApiCredentials.IssueAsync(Grains, CredentialRole.School, boardId, schools[0].SchoolId, "校長 山本"),
            await ApiCredentials.IssueAsync(Grains, CredentialRole.School, boardId, schools[1].SchoolId, "校長 鈴木"));
    }

    private static readonly string[] Carriers = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "gmail.com", "au.com"];

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Sink.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>A board, its two schools, every guardian address (first school's first) and the credentials.</summary>
public sealed record CliTenant(
    string BoardId, IReadOnlyList<SchoolProfile> Schools, IReadOnlyList<string> Addresses, string BoardToken, string FirstPrincipalToken, string SecondPrincipalToken)
{
    public SchoolProfile First => Schools[0];

    /// <summary>The first school's guardian addresses.</summary>
    public IEnumerable<string> FirstSchoolAddresses => Addresses.Where(a => a.StartsWith(First.SchoolId + ".", StringComparison.Ordinal));
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}
