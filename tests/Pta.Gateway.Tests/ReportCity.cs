using System.Net;
using System.Net.Http.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// A board of three schools for the report tests. School A: 佐藤花子 (two addresses) with children in 1-1 and 2-1,
/// 鈴木良子 in 1-1, a guardian whose name is a spreadsheet formula and whose child's name has quotes and a comma in
/// 1-2, 山本恵 in 1-2 whose only address is refused with 550 5.1.1 (Y!mobile, routed to the carrier emulator),
/// 伊藤誠 in 2-1, and 高橋六郎 in 2-1 whose self-registered guardian has no verified address. School B: 渡辺明美 and
/// 小林直子 in 3-1. School C is the board's but not in the broadcast.
/// </summary>
public sealed record ReportCity(
    string BoardId, SchoolProfile A, SchoolProfile B, SchoolProfile C,
    string BoardToken, string TokenA, string TokenB, string TokenC, string Suffix,
    IReadOnlyDictionary<string, string> GuardianIds)
{
    public const string FormulaGuardian = "=HYPERLINK(\"http://evil.example\",\"x\")";
    public const string QuotedChild = "田中 \"たろう\", Jr";

    public static async Task<ReportCity> CreateAsync(GatewayFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var boardId = $"rb-{suffix}";
        SchoolProfile School(string name) => new($"{name}-{suffix}", boardId, $"レポート市立{name}小学校", $"{name}-{suffix}@mail.test-city.example", $"{name}小学校");
        var (a, b, c) = (School("ra"), School("rb"), School("rc"));
        var grains = fixture.Grains;
        await grains.GetGrain<IBoardGrain>(boardId).ConfigureAsync(new BoardProfile(boardId, "レポート市教育委員会", $"board@{boardId}.example", [a.SchoolId, b.SchoolId, c.SchoolId]));
        foreach (var school in new[] { a, b, c })
        {
            await grains.GetGrain<ISchoolGrain>(school.SchoolId).ConfigureAsync(school);
        }

        string Address(string local, string domain) => $"{local}.{suffix}@{domain}";
        await grains.GetGrain<ISchoolGrain>(a.SchoolId).ImportRosterAsync(
        [
            new(1, "1", "佐藤一郎", "佐藤花子", [Address("sato", "docomo.ne.jp"), Address("sato2", "gmail.com")]),
            new(2, "1", "佐藤二郎", "佐藤花子", [Address("sato", "docomo.ne.jp"), Address("sato2", "gmail.com")]),
            new(1, "1", "鈴木三郎", "鈴木良子", [Address("suzuki", "softbank.ne.jp")]),
            new(1, "2", QuotedChild, FormulaGuardian, [Address("tanaka", "ezweb.ne.jp")]),
            new(1, "2", "山本四郎", "山本恵", [Address("unknown-yamamoto", "ymobile.ne.jp")]),
            new(2, "1", "伊藤五郎", "伊藤誠", [Address("ito", "au.com")]),
        ]);
        var takahashi = Ids.New("gd");
        await grains.GetGrain<ISchoolGrain>(a.SchoolId).RegisterChildAsync("高橋六郎", 2, "1", takahashi);
        await grains.GetGrain<ISchoolGrain>(a.SchoolId).UpdateGuardianAsync(new GuardianContact(
            takahashi, "高橋節子", [new AddressSlot(1, Address("takahashi", "docomo.ne.jp"), AddressStatus.Pending, null)], ReceiveBroadcasts: true));
        await grains.GetGrain<ISchoolGrain>(b.SchoolId).ImportRosterAsync(
        [
            new(3, "1", "渡辺七郎", "渡辺明美", [Address("watanabe", "docomo.ne.jp")]),
            new(3, "1", "小林八郎", "小林直子", [Address("kobayashi", "docomo.ne.jp")]),
        ]);
        await grains.GetGrain<ISchoolGrain>(c.SchoolId).ImportRosterAsync([new(1, "1", "加藤九郎", "加藤愛", [Address("kato", "docomo.ne.jp")])]);

        var ids = new Dictionary<string, string>();
        foreach (var school in new[] { a, b })
        {
            var roster = await grains.GetGrain<ISchoolGrain>(school.SchoolId).GetRosterAsync();
            foreach (var guardian in roster.Guardians.Values)
            {
                ids[guardian.Name] = guardian.GuardianId;
            }
        }

        return new ReportCity(boardId, a, b, c,
            await ApiCredentials.IssueAsync(grains, CredentialRole.Board, boardId, null, "report board"),
            await ApiCredentials.IssueAsync(grains, CredentialRole.School, boardId, a.SchoolId, "staff a"),
            await ApiCredentials.IssueAsync(grains, CredentialRole.School, boardId, b.SchoolId, "staff b"),
            await ApiCredentials.IssueAsync(grains, CredentialRole.School, boardId, c.SchoolId, "staff c"),
            suffix, ids);
    }

    /// <summary>Sends the board broadcast with read confirmation to schools A and B and waits until it completed; returns its id.</summary>
    public async Task<string> BroadcastAsync(GatewayFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        using var board = fixture.WithToken(BoardToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/boards/{BoardId}/broadcasts")
        {
            Content = JsonContent.Create(new
            {
                subject = Requests.Subject, body = Requests.Body, category = "emergency", schoolIds = new[] { A.SchoolId, B.SchoolId }, requireConfirmation = true,
            }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        using var response = await board.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Phase 'submit': {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var location = response.Headers.Location!.ToString();
        await BroadcastPolling.WaitForStatusAsync(board, location, "completed");
        return location[(location.LastIndexOf('/') + 1)..];
    }
}
