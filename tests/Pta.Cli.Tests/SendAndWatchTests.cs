using System.Text.RegularExpressions;
using Pta.Testing;

namespace Pta.Cli.Tests;

/// <summary>
/// <c>pta send --watch</c> end to end: the CLI posts the broadcast, follows the gateway's server-sent events until the
/// broadcast completes, and every guardian's mail is at the real smtp-sink. Plain lines (a non-interactive console,
/// as in a pipe or CI) and live bars (an interactive one) alike.
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class SendAndWatchTests(CliFixture fixture)
{
    private const int Guardians = 60;

    [Fact]
    public async Task A_school_send_with_watch_completes_reports_every_recipient_sent_and_the_mails_are_at_the_sink()
    {
        var tenant = await fixture.CreateTenantAsync(Guardians);

        var run = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", "臨時休校のお知らせ", "--body", "本日は台風のため臨時休校とします。", "--emergency", "--watch");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var id = run.OutLines[0];
        Assert.Matches(BroadcastId(), id);
        // One plain line per change: the send was seen moving, and its last line says every recipient was sent.
        var progressLines = run.OutLines.Where(l => l.Contains($" {id} ", StringComparison.Ordinal)).ToList();
        Assert.True(progressLines.Count >= 2, run.ToString());
        Assert.EndsWith($"{id} completed sent {Guardians}/{Guardians} deferred 0 bounced 0", progressLines[^1]);
        Assert.Contains($"school {tenant.First.SchoolId} ({tenant.First.Name}) sent {Guardians}/{Guardians} deferred 0 bounced 0", run.Out);
        // Five domains in turn: ezweb.ne.jp and au.com are both au.
        Assert.Contains("carrier docomo sent 12/12 deferred 0 bounced 0", run.Out);
        Assert.Contains("carrier au sent 24/24 deferred 0 bounced 0", run.Out);
        Assert.Contains("carrier softbank sent 12/12 deferred 0 bounced 0", run.Out);
        Assert.Contains("carrier gmail sent 12/12 deferred 0 bounced 0", run.Out);
        Assert.Contains($"{id} completed: {Guardians} sent, 0 deferred, 0 bounced of {Guardians}.", run.Error);

        var expected = tenant.FirstSchoolAddresses.ToHashSet();
        var mails = await fixture.Sink.WaitForAsync(m => Recipients(m).Any(expected.Contains), Guardians, TimeSpan.FromSeconds(30));
        Assert.Equal(expected.Order(), mails.SelectMany(Recipients).Where(expected.Contains).Order());
        Assert.All(mails, m => Assert.Equal("臨時休校のお知らせ", m.Message.Subject));
    }

    [Fact]
    public async Task A_board_send_from_a_json_file_watched_with_live_bars_completes_for_both_schools()
    {
        var tenant = await fixture.CreateTenantAsync(Guardians);
        var file = Path.Combine(TestEnvironment.ScratchDirectory, $"alert-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"subject":"地震発生","body":"児童は学校で待機しています。","category":"emergency"}""");
        var environment = new Dictionary<string, string> { ["PTA_GATEWAY"] = fixture.BaseUrl, ["PTA_TOKEN"] = tenant.BoardToken };

        var run = await CliRun.RunAsync(environment, interactive: true, "send", "--board", "--file", file, "--watch");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("\u001b[", run.Out, StringComparison.Ordinal); // drawn live, with escape sequences
        Assert.Contains("completed", run.Out, StringComparison.Ordinal);
        Assert.All(tenant.Schools, s => Assert.Contains(s.Name, run.Out, StringComparison.Ordinal));
        Assert.Contains($"completed: {2 * Guardians} sent, 0 deferred, 0 bounced of {2 * Guardians}.", run.Error);
        var expected = tenant.Addresses.ToHashSet();
        var mails = await fixture.Sink.WaitForAsync(m => Recipients(m).Any(expected.Contains), expected.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(expected.Order(), mails.SelectMany(Recipients).Where(expected.Contains).Order());
        Assert.All(mails, m => Assert.Equal("地震発生", m.Message.Subject));
    }

    [Fact]
    public async Task A_watch_whose_connection_breaks_off_reconnects_and_still_sees_the_send_complete()
    {
        var tenant = await fixture.CreateTenantAsync(Guardians);
        using var handler = new CutOffEventsHandler();
        var environment = new Dictionary<string, string> { ["PTA_GATEWAY"] = fixture.BaseUrl, ["PTA_TOKEN"] = tenant.FirstPrincipalToken };

        var run = await CliRun.RunAsync(environment, interactive: false, handler,
            "send", "--subject", "引き渡し訓練", "--body", "本日は引き渡し訓練です。", "--emergency", "--watch");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.True(handler.EventStreams >= 2, $"the event stream was opened {handler.EventStreams} time(s)");
        Assert.Contains($"completed sent {Guardians}/{Guardians} deferred 0 bounced 0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_is_one_broadcast()
    {
        var tenant = await fixture.CreateTenantAsync(6);
        string[] args =
        [
            "send", "--subject", "遠足のお知らせ", "--body", "明日は遠足です。", "--category", "routine",
            "--send-at", DateTimeOffset.UtcNow.AddDays(2).ToString("O"), "--idempotency-key", $"k-{Guid.NewGuid():N}",
        ];

        var first = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, args);
        var again = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, args);

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Equal(first.OutLines, again.OutLines);
        Assert.Contains($"Accepted {first.OutLines[0]}: info, scheduled,", first.Error, StringComparison.Ordinal); // routine is info
        Assert.DoesNotContain("--idempotency-key", first.Error, StringComparison.Ordinal); // the key was given: no hint
    }

    /// <summary>A dumped message's envelope recipients as plain addresses (smtp-sink writes them in angle brackets).</summary>
    private static IEnumerable<string> Recipients(SinkMessage message) =>
        message.RcptTo.Select(r => r.Trim().Trim('<', '>').ToLowerInvariant());

    [GeneratedRegex("^bc-[0-9a-f]{24}$")]
    private static partial Regex BroadcastId();
}
