using System.Text;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests.Cap;

/// <summary>
/// A gateway of its own with CAP rules for two boards: <see cref="SendBoard"/> sends earthquakes in Tokyo (全国地方公共団体コード
/// 13…) at once, <see cref="DraftBoard"/> drafts them (JMA area 350) for approval, and <see cref="SplitBoard"/> has two
/// rules that both act on one earthquake: its east school is mailed at once, the rest waits for approval. Its own
/// collection, so the main fixture runs without rules, as production does by default.
/// </summary>
public sealed class CapGatewayFixture : GatewayFixture
{
    public const string SendBoard = "cap-send-board";
    public const string DraftBoard = "cap-draft-board";
    public const string SendRule = "tokyo-quake-send";
    public const string DraftRule = "minato-quake-draft";
    public const string SplitBoard = "cap-split-board";
    public const string SplitSendRule = "split-east-send";
    public const string SplitDraftRule = "split-all-draft";
    public const string EastSchool = "cap-split-east";
    public const string WestSchool = "cap-split-west";

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => new Dictionary<string, string>
    {
        ["Pta:Cap:Rules:0:Name"] = SendRule,
        ["Pta:Cap:Rules:0:Board"] = SendBoard,
        ["Pta:Cap:Rules:0:Events:0"] = "地震",
        ["Pta:Cap:Rules:0:Severities:0"] = "Severe",
        ["Pta:Cap:Rules:0:Severities:1"] = "Extreme",
        ["Pta:Cap:Rules:0:Geocodes:0:ValueName"] = "全国地方公共団体コード",
        ["Pta:Cap:Rules:0:Geocodes:0:Value"] = "13*",
        ["Pta:Cap:Rules:0:Category"] = "emergency",
        ["Pta:Cap:Rules:0:Action"] = "Send",
        ["Pta:Cap:Rules:1:Name"] = DraftRule,
        ["Pta:Cap:Rules:1:Board"] = DraftBoard,
        ["Pta:Cap:Rules:1:Events:0"] = "地震",
        ["Pta:Cap:Rules:1:Urgencies:0"] = "Immediate",
        ["Pta:Cap:Rules:1:Geocodes:0:ValueName"] = "JMA地震情報細分区域",
        ["Pta:Cap:Rules:1:Geocodes:0:Value"] = "350",
        ["Pta:Cap:Rules:1:Category"] = "emergency",
        ["Pta:Cap:Rules:1:Action"] = "Draft",
        ["Pta:Cap:Rules:2:Name"] = SplitSendRule,
        ["Pta:Cap:Rules:2:Board"] = SplitBoard,
        ["Pta:Cap:Rules:2:Events:0"] = "地震",
        ["Pta:Cap:Rules:2:Schools:0"] = EastSchool,
        ["Pta:Cap:Rules:2:Action"] = "Send",
        ["Pta:Cap:Rules:3:Name"] = SplitDraftRule,
        ["Pta:Cap:Rules:3:Board"] = SplitBoard,
        ["Pta:Cap:Rules:3:Events:0"] = "地震",
        ["Pta:Cap:Rules:3:Action"] = "Draft",
    };

    /// <summary>
    /// (Re)configures <paramref name="boardId"/> with one new school of <paramref name="guardians"/> guardians, so each
    /// test has addresses of its own, and returns the board's credential and those addresses.
    /// </summary>
    public async Task<CapBoard> BoardAsync(string boardId, int guardians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var schoolId = $"s-{suffix}";
        await Grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "港区教育委員会", $"board@{boardId}.example", [schoolId]));
        await Grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(
            new SchoolProfile(schoolId, boardId, $"港区立第{suffix}小学校", $"{schoolId}@mail.minato.example", "港区立小学校"));
        var roster = Enumerable.Range(0, guardians)
            .Select(n => new RosterEntry($"g{n:D4}", n % 6 + 1, "1", [$"cap{n:D4}.{suffix}@docomo.ne.jp"]))
            .ToList();
        await Grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(roster);
        var token = await ApiCredentials.IssueAsync(Grains, CredentialRole.Board, boardId, null, "cap feed");
        return new CapBoard(boardId, schoolId, token, [.. roster.Select(r => r.BroadcastAddresses[0])], suffix);
    }

    /// <summary>
    /// <see cref="SplitBoard"/> with its two schools, each given <paramref name="guardians"/> new guardians; the board's
    /// credential and each school's addresses (one test uses it: the school ids are fixed, as the rules name them).
    /// </summary>
    public async Task<(CapBoard East, CapBoard West)> SplitBoardAsync(int guardians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        await Grains.GetGrain<IBoardGrain>(SplitBoard).ConfigureAsync(
            new BoardProfile(SplitBoard, "湾岸市教育委員会", $"board@{SplitBoard}.example", [EastSchool, WestSchool]));
        var token = await ApiCredentials.IssueAsync(Grains, CredentialRole.Board, SplitBoard, null, "cap feed");
        var boards = new List<CapBoard>();
        foreach (var schoolId in new[] { EastSchool, WestSchool })
        {
            await Grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(
                new SchoolProfile(schoolId, SplitBoard, $"湾岸市立{schoolId}小学校", $"{schoolId}@mail.wangan.example", "湾岸市立小学校"));
            var roster = Enumerable.Range(0, guardians)
                .Select(n => new RosterEntry($"g{n:D4}", 1, "1", [$"{schoolId}{n:D4}.{suffix}@docomo.ne.jp"]))
                .ToList();
            await Grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(roster);
            boards.Add(new CapBoard(SplitBoard, schoolId, token, [.. roster.Select(r => r.BroadcastAddresses[0])], suffix));
        }

        return (boards[0], boards[1]);
    }

    /// <summary>A sample file with its alert identifiers made unique to one test (so tests never replay each other's alerts).</summary>
    public static string Sample(string file, string suffix) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cap", "samples", file), Encoding.UTF8)
            .Replace("JP-QUAKE-20261122-101430", $"JP-QUAKE-20261122-101430-{suffix}", StringComparison.Ordinal);
}

/// <summary>A board configured for one test: its credential, its one school and that school's guardian addresses.</summary>
public sealed record CapBoard(string BoardId, string SchoolId, string Token, IReadOnlyList<string> Addresses, string Suffix)
{
    /// <summary>True for a mail the sink took for one of this board's guardians.</summary>
    public bool Receives(SinkMessage message) => Addresses.Any(a => SmtpSink.To(a)(message));
}

[CollectionDefinition(Name)]
public sealed class CapCollection : ICollectionFixture<CapGatewayFixture>
{
    public const string Name = "cap";
}
