using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pta.Gateway.Tests.Cap;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// CAP 1.2 intake end to end: the sample alerts posted to <c>POST /api/v1/cap</c> of a real gateway (PostgreSQL,
/// smtp-sink), mapped by the fixture's two rules, and what reaches (or does not reach) the guardians' mailboxes.
/// </summary>
[Collection(CapCollection.Name)]
public sealed class CapIntakeTests(CapGatewayFixture fixture)
{
    private static readonly TimeSpan MailPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_earthquake_alert_with_a_send_rule_mails_every_guardian_once_even_when_posted_twice()
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.SendBoard, guardians: 5);
        using var client = fixture.WithToken(board.Token);
        var alert = CapGatewayFixture.Sample("earthquake-alert.xml", board.Suffix);

        using var first = await PostAsync(client, alert);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("send", answer.GetProperty("action").GetString());
        Assert.Equal(CapGatewayFixture.SendRule, answer.GetProperty("rule").GetString());
        var location = first.Headers.Location!.ToString();
        var done = await BroadcastPolling.WaitForStatusAsync(client, location, "completed");
        Assert.Equal(5, done.GetProperty("counts").GetProperty("sent").GetInt32());

        using var again = await PostAsync(client, alert);
        var replay = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], replay.GetProperty("broadcastIds")[0].GetString());

        var mails = await fixture.Sink.WaitForAsync(board.Receives, 5, MailPatience);
        Assert.Equal(board.Addresses.Order(), mails.Select(m => m.RcptTo.Single().Trim('<', '>')).Order());
        Assert.All(mails, m => Assert.Equal("震度5強の地震が発生しました", m.Message.Subject)); // the Japanese info block, not the English one
        Assert.All(mails, m => Assert.Contains("港区で震度5強を観測しました", m.Message.TextBody, StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(5, fixture.Sink.Messages().Count(board.Receives)); // the second post sent nothing
        Assert.Equal(1, await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM pta_cap_alert WHERE board_id = $1 AND identifier LIKE $2", board.BoardId, $"%{board.Suffix}%"));
    }

    [Fact]
    public async Task A_draft_rule_leaves_the_alert_in_the_approval_queue_and_nothing_is_mailed_until_the_board_approves()
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.DraftBoard, guardians: 4);
        using var client = fixture.WithToken(board.Token);

        using var response = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", board.Suffix));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("draft", answer.GetProperty("action").GetString());
        Assert.Equal("awaitingApproval", answer.GetProperty("broadcasts")[0].GetProperty("status").GetString());
        var broadcastId = answer.GetProperty("broadcastIds")[0].GetString()!;
        var queue = await client.GetFromJsonAsync<JsonElement>($"/api/v1/boards/{board.BoardId}/broadcasts?status=awaitingApproval");
        Assert.Contains(broadcastId, queue.EnumerateArray().Select(b => b.GetProperty("id").GetString()));

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(fixture.Sink.Messages(), board.Receives);

        using var approved = await client.PostAsync($"/api/v1/broadcasts/{broadcastId}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var mails = await fixture.Sink.WaitForAsync(board.Receives, 4, MailPatience);
        Assert.Equal(4, mails.Count);
    }

    [Fact]
    public async Task An_update_changes_the_waiting_draft_and_a_cancel_cancels_it_and_nothing_is_mailed()
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.DraftBoard, guardians: 3);
        using var client = fixture.WithToken(board.Token);
        using var created = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", board.Suffix));
        var broadcastId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("broadcastIds")[0].GetString()!;

        using var updated = await PostAsync(client, CapGatewayFixture.Sample("earthquake-update.xml", board.Suffix));
        var update = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("update", update.GetProperty("action").GetString());
        Assert.Equal(broadcastId, update.GetProperty("broadcastIds")[0].GetString());
        var text = await client.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{broadcastId}/text");
        Assert.Equal("【続報】港区の震度は6弱でした", text.GetProperty("subject").GetString());
        Assert.Contains("6弱に修正します", text.GetProperty("body").GetString(), StringComparison.Ordinal);

        using var cancelled = await PostAsync(client, CapGatewayFixture.Sample("earthquake-cancel.xml", board.Suffix));
        var cancel = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancel", cancel.GetProperty("action").GetString());
        Assert.Equal([broadcastId], cancel.GetProperty("broadcastIds").EnumerateArray().Select(b => b.GetString()));
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{broadcastId}");
        Assert.Equal("cancelled", view.GetProperty("status").GetString());

        using var approve = await client.PostAsync($"/api/v1/broadcasts/{broadcastId}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode); // a cancelled draft cannot be approved any more
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(fixture.Sink.Messages(), board.Receives);
    }

    [Fact]
    public async Task An_update_of_a_sent_alert_goes_out_as_a_new_broadcast_that_says_so_and_a_cancel_names_both()
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.SendBoard, guardians: 3);
        using var client = fixture.WithToken(board.Token);
        using var created = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", board.Suffix));
        var firstId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("broadcastIds")[0].GetString()!;
        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{firstId}", "completed");

        using var updated = await PostAsync(client, CapGatewayFixture.Sample("earthquake-update.xml", board.Suffix));
        var update = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        Assert.Equal("replace", update.GetProperty("action").GetString());
        Assert.Contains("cannot be edited", update.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var secondId = update.GetProperty("broadcastIds")[0].GetString()!;
        Assert.NotEqual(firstId, secondId);
        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{secondId}", "completed");
        var revised = await fixture.Sink.WaitForAsync(
            m => board.Receives(m) && m.Message.Subject == "【続報】港区の震度は6弱でした", 3, MailPatience);
        Assert.Equal(3, revised.Count);

        using var cancelled = await PostAsync(client, CapGatewayFixture.Sample("earthquake-cancel.xml", board.Suffix));
        var cancel = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancel", cancel.GetProperty("action").GetString());
        Assert.Equal(new[] { firstId, secondId }.Order(), cancel.GetProperty("broadcastIds").EnumerateArray().Select(b => b.GetString()).Order());
        Assert.All(cancel.GetProperty("broadcasts").EnumerateArray(), b => Assert.Equal("completed", b.GetProperty("status").GetString()));
        Assert.Equal(6, fixture.Sink.Messages().Count(board.Receives));
    }

    [Fact]
    public async Task Two_rules_both_act_school_by_school_the_named_school_is_mailed_at_once_the_rest_waits_and_nobody_gets_it_twice()
    {
        var (east, west) = await fixture.SplitBoardAsync(guardians: 3);
        using var client = fixture.WithToken(east.Token);
        bool Either(SinkMessage m) => east.Receives(m) || west.Receives(m);

        using var trial = await PostAsync(client, CapGatewayFixture.Sample("earthquake-test.xml", east.Suffix));
        var dryRun = await trial.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("send", dryRun.GetProperty("action").GetString());
        Assert.Equal($"{CapGatewayFixture.SplitSendRule}, {CapGatewayFixture.SplitDraftRule}", dryRun.GetProperty("rule").GetString());
        Assert.Equal(6, dryRun.GetProperty("addresses").GetInt32()); // both schools, each address once

        using var response = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", east.Suffix));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("send", answer.GetProperty("action").GetString());
        var broadcasts = answer.GetProperty("broadcasts").EnumerateArray().ToList();
        Assert.Equal(2, broadcasts.Count);
        var (sent, draft) = (broadcasts[0].GetProperty("id").GetString()!, broadcasts[1].GetProperty("id").GetString()!);
        Assert.Equal("awaitingApproval", broadcasts[1].GetProperty("status").GetString());
        Assert.Contains(CapGatewayFixture.SplitDraftRule, answer.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{sent}", "completed");
        var first = await fixture.Sink.WaitForAsync(east.Receives, 3, MailPatience);
        Assert.Equal(east.Addresses.Order(), first.Select(m => m.RcptTo.Single().Trim('<', '>')).Order());
        Assert.DoesNotContain(fixture.Sink.Messages(), west.Receives); // the rest waits for approval

        using var again = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", east.Suffix));
        var replay = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        Assert.Equal([sent, draft], replay.GetProperty("broadcastIds").EnumerateArray().Select(b => b.GetString()));

        using var approved = await client.PostAsync($"/api/v1/broadcasts/{draft}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{draft}", "completed");
        var second = await fixture.Sink.WaitForAsync(west.Receives, 3, MailPatience);
        Assert.Equal(west.Addresses.Order(), second.Select(m => m.RcptTo.Single().Trim('<', '>')).Order());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(6, fixture.Sink.Messages().Count(Either)); // the draft left out the school already mailed
    }

    [Fact]
    public async Task An_update_after_two_rules_acted_changes_the_waiting_draft_and_mails_the_update_to_the_school_already_mailed()
    {
        var (east, west) = await fixture.SplitBoardAsync(guardians: 2);
        using var client = fixture.WithToken(east.Token);
        using var created = await PostAsync(client, CapGatewayFixture.Sample("earthquake-alert.xml", east.Suffix));
        var ids = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("broadcastIds").EnumerateArray().Select(b => b.GetString()!).ToList();
        var (sent, draft) = (ids[0], ids[1]);
        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{sent}", "completed");

        using var updated = await PostAsync(client, CapGatewayFixture.Sample("earthquake-update.xml", east.Suffix));
        var update = await updated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Accepted, updated.StatusCode);
        Assert.Equal("update", update.GetProperty("action").GetString());
        var touched = update.GetProperty("broadcastIds").EnumerateArray().Select(b => b.GetString()!).ToList();
        Assert.Equal(2, touched.Count);
        Assert.Equal(draft, touched[0]); // the waiting draft, with the new text
        Assert.DoesNotContain(sent, touched);
        var text = await client.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{draft}/text");
        Assert.Equal("【続報】港区の震度は6弱でした", text.GetProperty("subject").GetString());

        await BroadcastPolling.WaitForStatusAsync(client, $"/api/v1/broadcasts/{touched[1]}", "completed");
        var revised = await fixture.Sink.WaitForAsync(m => east.Receives(m) && m.Message.Subject == "【続報】港区の震度は6弱でした", 2, MailPatience);
        Assert.Equal(east.Addresses.Order(), revised.Select(m => m.RcptTo.Single().Trim('<', '>')).Order());
        Assert.DoesNotContain(fixture.Sink.Messages(), west.Receives); // still waiting for approval

        using var approved = await client.PostAsync($"/api/v1/broadcasts/{draft}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var westMails = await fixture.Sink.WaitForAsync(west.Receives, 2, MailPatience);
        Assert.All(westMails, m => Assert.Equal("【続報】港区の震度は6弱でした", m.Message.Subject)); // only the corrected text
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(4, fixture.Sink.Messages().Count(east.Receives)); // the alert and its update, nothing else
        Assert.Equal(2, fixture.Sink.Messages().Count(west.Receives));
    }

    [Fact]
    public async Task A_test_alert_answers_what_would_have_been_done_and_stores_and_sends_nothing()
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.SendBoard, guardians: 4);
        using var client = fixture.WithToken(board.Token);
        var rowsBefore = await BroadcastRowsAsync();

        using var response = await PostAsync(client, CapGatewayFixture.Sample("earthquake-test.xml", board.Suffix));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(answer.GetProperty("dryRun").GetBoolean());
        Assert.Equal("send", answer.GetProperty("action").GetString());
        Assert.Equal(CapGatewayFixture.SendRule, answer.GetProperty("rule").GetString());
        Assert.Equal(4, answer.GetProperty("addresses").GetInt32());
        Assert.Equal(4, answer.GetProperty("households").GetInt32());
        Assert.Empty(answer.GetProperty("broadcasts").EnumerateArray());

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(fixture.Sink.Messages(), board.Receives);
        Assert.Equal(rowsBefore, await BroadcastRowsAsync());
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_cap_alert WHERE board_id = $1 AND identifier LIKE '%-T'", board.BoardId));
    }

    [Theory]
    [InlineData("invalid-not-xml.txt", "$", "Data at the root level is invalid")]
    [InlineData("invalid-dtd.xml", "$", "DTD is prohibited")]
    [InlineData("invalid-namespace.xml", "alert", "urn:oasis:names:tc:emergency:cap:1.2")]
    [InlineData("invalid-missing-scope.xml", "alert", "scope")]
    [InlineData("invalid-urgency.xml", "alert/info[1]/urgency", "Soon")]
    public async Task An_invalid_alert_is_refused_with_400_naming_the_element_and_nothing_is_stored_or_sent(string file, string field, string reason)
    {
        var board = await fixture.BoardAsync(CapGatewayFixture.SendBoard, guardians: 3);
        using var client = fixture.WithToken(board.Token);
        var rowsBefore = await BroadcastRowsAsync();

        using var response = await PostAsync(client, CapGatewayFixture.Sample(file, board.Suffix));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{file}: expected the error under '{field}', got {errors}");
        Assert.Contains(reason, messages[0].GetString(), StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(rowsBefore, await BroadcastRowsAsync());
        Assert.Equal(0, await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_cap_alert WHERE board_id = $1 AND identifier LIKE $2", board.BoardId, $"%{board.Suffix}%"));
        Assert.DoesNotContain(fixture.Sink.Messages(), board.Receives);
    }

    [Fact]
    public async Task A_school_credential_other_media_types_and_oversized_alerts_are_refused_with_problem_details()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        var board = await fixture.BoardAsync(CapGatewayFixture.SendBoard, guardians: 2);
        var alert = CapGatewayFixture.Sample("earthquake-alert.xml", board.Suffix);

        using var school = await PostAsync(fixture.WithToken(tenant.SchoolToken), alert);
        using var json = await fixture.WithToken(board.Token).PostAsync("/api/v1/cap", new StringContent(alert, Encoding.UTF8, "application/json"));
        var padded = alert.Replace("<scope>", $"<!-- {new string('x', 300 * 1024)} --><scope>", StringComparison.Ordinal);
        using var large = await PostAsync(fixture.WithToken(board.Token), padded);
        using var anonymous = await PostAsync(fixture.Anonymous(), alert);

        Assert.Equal(HttpStatusCode.Forbidden, school.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(Pta.Gateway.Cap.CapIntake.BroadcastId(board.BoardId, "bousai.city.example.jp", $"JP-QUAKE-20261122-101430-{board.Suffix}")).GetAsync());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string document) =>
        client.PostAsync("/api/v1/cap", new StringContent(document, Encoding.UTF8, "application/cap+xml"));

    private Task<long> BroadcastRowsAsync() =>
        fixture.Database.ScalarAsync("SELECT count(*) FROM orleansstorage WHERE graintypestring IN ('broadcast', 'shard')");
}
