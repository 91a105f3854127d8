using System.Net.Http.Headers;

namespace Pta.Cli.Tests;

/// <summary>
/// <c>pta watch</c> follows a broadcast through its changes and exits by its outcome: a scheduled broadcast cancelled
/// while watched ends the watch with <see cref="ExitCodes.BroadcastNotCompleted"/>, so a script waiting on it fails.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class WatchOutcomeTests(CliFixture fixture)
{
    [Fact]
    public async Task A_broadcast_cancelled_while_watched_ends_the_watch_with_a_non_zero_exit()
    {
        var tenant = await fixture.CreateTenantAsync(6);
        var sent = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", "運動会", "--body", "運動会は予定どおり行います。", "--category", "info",
            "--send-at", DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        Assert.True(sent.ExitCode == ExitCodes.Success, sent.ToString());
        var id = sent.OutLines[0];

        var watching = CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "watch", id);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the watch has seen "scheduled"
        Assert.False(watching.IsCompleted, "the watch of a scheduled broadcast ended before it was cancelled");
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.FirstPrincipalToken);
        using var cancel = await http.PostAsync($"/api/v1/broadcasts/{id}/cancel", null);
        cancel.EnsureSuccessStatusCode();
        var run = await watching;

        Assert.True(run.ExitCode == ExitCodes.BroadcastNotCompleted, run.ToString());
        Assert.Contains($"{id} scheduled sent 0/", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{id} cancelled sent 0/", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{id} is scheduled", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{id} cancelled:", run.Error, StringComparison.Ordinal);
    }
}
