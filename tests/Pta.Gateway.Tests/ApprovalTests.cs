using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Seed 001 §5: the operator drafts, the principal approves, then it sends; in an emergency the operator sends at
/// once and the principal is told afterwards. Scheduled sends can be changed and cancelled until they start. Every
/// step is in the audit trail with who and from where.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ApprovalTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_operators_draft_sends_only_after_the_principal_approves_and_the_trail_shows_each_step()
    {
        var (tenant, operatorClient, principal) = await TenantAsync(guardians: 6);
        using var draft = await operatorClient.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info")));
        var location = draft.Headers.Location!.ToString();
        var id = location.Split('/')[^1];
        var drafted = await draft.Content.ReadFromJsonAsync<JsonElement>();

        var queue = await principal.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{tenant.School.SchoolId}/broadcasts?status=awaitingApproval");
        using var selfApproval = await operatorClient.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        await Task.Delay(500);
        var sentBeforeApproval = MessagesFor(tenant).Count;
        using var approval = await principal.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        var done = await BroadcastPolling.WaitForStatusAsync(principal, location, "completed");
        using var again = await principal.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        var trail = await principal.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}/audit");

        Assert.Equal(HttpStatusCode.Accepted, draft.StatusCode);
        Assert.Equal("awaitingApproval", drafted.GetProperty("status").GetString());
        Assert.Contains(queue.EnumerateArray(), b => b.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        Assert.Equal(0, sentBeforeApproval);
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        Assert.Equal(6, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal("test principal", done.GetProperty("approvedBy").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(6, (await fixture.Sink.WaitForAsync(m => m.Raw.Contains(tenant.School.SenderAddress, StringComparison.Ordinal), 6, TimeSpan.FromSeconds(10))).Count);
        var actions = trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["broadcast.submitted", "broadcast.approved", "broadcast.sending", "broadcast.completed"], actions);
        var approved = trail.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "broadcast.approved");
        Assert.Contains("test principal", approved.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(approved.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task An_operators_emergency_sends_at_once_and_the_principal_is_mailed_and_acknowledges_it()
    {
        var (tenant, operatorClient, principal) = await TenantAsync(guardians: 4);
        using var response = await operatorClient.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("emergency")));
        var location = response.Headers.Location!.ToString();
        var id = location.Split('/')[^1];
        var done = await BroadcastPolling.WaitForStatusAsync(principal, location, "completed");
        var report = await fixture.Sink.WaitForAsync(SmtpSink.To(ManagerOf(tenant)), 1, TimeSpan.FromSeconds(20));
        using var operatorAck = await operatorClient.PostAsync($"/api/v1/broadcasts/{id}/acknowledge", null);
        using var ack = await principal.PostAsync($"/api/v1/broadcasts/{id}/acknowledge", null);
        var acknowledged = await ack.Content.ReadFromJsonAsync<JsonElement>();
        var trail = await principal.GetFromJsonAsync<JsonElement>($"/api/v1/broadcasts/{id}/audit");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(4, done.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.True(done.GetProperty("sentWithoutApproval").GetBoolean());
        Assert.StartsWith("【緊急配信の報告】", Assert.Single(report).Message.Subject, StringComparison.Ordinal);
        Assert.Contains(Requests.Body.Split('\n')[1], report[0].Message.TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, operatorAck.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.False(acknowledged.GetProperty("sentWithoutApproval").GetBoolean());
        var actions = trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("broadcast.sent-without-approval", actions);
        Assert.Contains("broadcast.approver-informed", actions);
        Assert.Contains("broadcast.acknowledged", actions);
    }

    [Fact]
    public async Task A_rejected_draft_sends_nothing()
    {
        var (tenant, operatorClient, principal) = await TenantAsync(guardians: 3);
        using var draft = await operatorClient.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info")));
        var id = draft.Headers.Location!.ToString().Split('/')[^1];
        using var reject = await principal.PostAsJsonAsync($"/api/v1/broadcasts/{id}/reject", new { reason = "日付が誤っています" });
        var rejected = await reject.Content.ReadFromJsonAsync<JsonElement>();
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Empty(MessagesFor(tenant));
    }

    [Fact]
    public async Task A_scheduled_send_is_listed_can_be_moved_and_cancelled_and_then_sends_nothing()
    {
        var (tenant, _, principal) = await TenantAsync(guardians: 3);
        var sendAt = DateTimeOffset.UtcNow.AddHours(2);
        using var response = await principal.SendAsync(Requests.Post(tenant.School.SchoolId,
            new { subject = "遠足のお知らせ", body = "明日は遠足です。", category = "info", sendAt }));
        var id = response.Headers.Location!.ToString().Split('/')[^1];
        var scheduled = await principal.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{tenant.School.SchoolId}/broadcasts?status=scheduled");
        var later = sendAt.AddHours(1);
        using var moved = await principal.PatchAsJsonAsync($"/api/v1/broadcasts/{id}", new { sendAt = later });
        using var past = await principal.PatchAsJsonAsync($"/api/v1/broadcasts/{id}", new { sendAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
        using var cancel = await principal.PostAsync($"/api/v1/broadcasts/{id}/cancel", null);
        using var moveAfterCancel = await principal.PatchAsJsonAsync($"/api/v1/broadcasts/{id}", new { sendAt = later });
        var reminders = await fixture.Database.RemindersOfAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(scheduled.EnumerateArray(), b => b.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(later, (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sendAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal("sendAt", (await past.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Single().Name);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, moveAfterCancel.StatusCode);
        Assert.Equal(0, reminders);
        Assert.Empty(MessagesFor(tenant));
    }

    [Fact]
    public async Task Send_now_starts_a_scheduled_broadcast_at_once()
    {
        var (tenant, _, principal) = await TenantAsync(guardians: 3);
        using var response = await principal.SendAsync(Requests.Post(tenant.School.SchoolId,
            new { subject = "遠足のお知らせ", body = "明日は遠足です。", category = "info", sendAt = DateTimeOffset.UtcNow.AddDays(1) }));
        var location = response.Headers.Location!.ToString();
        using var now = await principal.PatchAsJsonAsync(location, new { sendNow = true });

        var done = await BroadcastPolling.WaitForStatusAsync(principal, location, "completed");
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        Assert.Equal(3, done.GetProperty("counts").GetProperty("sent").GetInt32());
    }

    [Fact]
    public async Task A_broadcast_to_a_single_guardian_is_refused_with_the_reason()
    {
        var (tenant, _, principal) = await TenantAsync(guardians: 7);
        // Grade 1 has guardians 0 and 6; grade 2 only guardian 1.
        using var single = await principal.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info", new { grades = new[] { 2 } })));
        var problem = await single.Content.ReadFromJsonAsync<JsonElement>();
        using var two = await principal.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info", new { grades = new[] { 1 } })));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, single.StatusCode);
        Assert.Equal("audience", problem.GetProperty("field").GetString());
        Assert.Contains("single person", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, two.StatusCode);
    }

    [Fact]
    public async Task Another_schools_staff_cannot_see_approve_or_cancel_a_broadcast()
    {
        var (tenant, operatorClient, _) = await TenantAsync(guardians: 3);
        var (_, _, stranger) = await TenantAsync(guardians: 3);
        using var draft = await operatorClient.SendAsync(Requests.Post(tenant.School.SchoolId, Requests.Valid("info")));
        var id = draft.Headers.Location!.ToString().Split('/')[^1];

        foreach (var action in new[] { "approve", "cancel", "reject", "acknowledge" })
        {
            using var attempt = await stranger.PostAsync($"/api/v1/broadcasts/{id}/{action}", null);
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        }

        using var audit = await stranger.GetAsync($"/api/v1/broadcasts/{id}/audit");
        using var list = await stranger.GetAsync($"/api/v1/schools/{tenant.School.SchoolId}/broadcasts");
        Assert.Equal(HttpStatusCode.NotFound, audit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
    }

    [Fact]
    public async Task A_board_operators_draft_waits_for_a_board_administrator_and_a_principal_cannot_approve_it()
    {
        var (tenant, _, principal) = await TenantAsync(guardians: 4);
        var boardOperator = fixture.WithToken(await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.BoardOperator, tenant.School.BoardId, null, "board staff"));
        using var board = fixture.WithToken(tenant.BoardToken);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/boards/{tenant.School.BoardId}/broadcasts")
        {
            Content = JsonContent.Create(new { subject = "教育委員会からのお知らせ", body = "来週は学校公開日です。", category = "info", schoolIds = new[] { tenant.School.SchoolId } }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var draft = await boardOperator.SendAsync(request);
        var location = draft.Headers.Location!.ToString();
        var id = location.Split('/')[^1];
        var drafted = await draft.Content.ReadFromJsonAsync<JsonElement>();
        var queue = await board.GetFromJsonAsync<JsonElement>($"/api/v1/boards/{tenant.School.BoardId}/broadcasts?status=awaitingApproval");
        using var byPrincipal = await principal.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        using var byOperator = await boardOperator.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        await Task.Delay(300);
        var sentBefore = MessagesFor(tenant).Count;
        using var approved = await board.PostAsync($"/api/v1/broadcasts/{id}/approve", null);
        var done = await BroadcastPolling.WaitForStatusAsync(board, location, "completed");

        Assert.Equal("awaitingApproval", drafted.GetProperty("status").GetString());
        Assert.Contains(queue.EnumerateArray(), b => b.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Forbidden, byPrincipal.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOperator.StatusCode);
        Assert.Equal(0, sentBefore);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(4, done.GetProperty("counts").GetProperty("sent").GetInt32());
    }

    private async Task<(TestTenant Tenant, HttpClient Operator, HttpClient Principal)> TenantAsync(int guardians)
    {
        var tenant = await fixture.CreateTenantAsync(guardians);
        await fixture.Grains.GetGrain<ISchoolGrain>(tenant.School.SchoolId).ConfigureAsync(tenant.School with { ManagerAddress = ManagerOf(tenant) });
        var operatorToken = await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.Operator, tenant.School.BoardId, tenant.School.SchoolId, "test operator");
        var principalToken = await ApiCredentials.IssueAsync(fixture.Grains, CredentialRole.School, tenant.School.BoardId, tenant.School.SchoolId, "test principal");
        return (tenant, fixture.WithToken(operatorToken), fixture.WithToken(principalToken));
    }

    private static string ManagerOf(TestTenant tenant) => $"kocho@{tenant.School.SchoolId}.school.example";

    private List<SinkMessage> MessagesFor(TestTenant tenant) =>
        [.. fixture.Sink.Messages().Where(m => tenant.Roster.Any(r => m.RcptTo.Contains($"<{r.BroadcastAddresses[0]}>")))];
}
