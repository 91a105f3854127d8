using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pta.Testing;

namespace Pta.Cli.Tests;

/// <summary>
/// Failures an operator must be able to read: the gateway's problem details (title, detail, the field at fault) with a
/// non-zero exit code per kind of failure, and nothing sent when the request was refused.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ProblemTests(CliFixture fixture)
{
    [Fact]
    public async Task A_bad_request_shows_the_problem_and_its_field_exits_non_zero_and_sends_nothing()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", new string('件', 201), "--body", "本文", "--category", "info");

        Assert.True(run.ExitCode == ExitCodes.ApiProblem, run.ToString());
        Assert.Empty(run.Out);
        Assert.Contains("error 400: The request has invalid fields", run.Error, StringComparison.Ordinal);
        Assert.Contains("field subject:", run.Error, StringComparison.Ordinal);
        Assert.Empty(await BroadcastsOfAsync(tenant));
    }

    [Fact]
    public async Task A_problem_naming_its_field_as_an_extension_shows_that_field()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        // No guardian is in grade 7 of an elementary school: 422 "No recipients", field audience.
        var run = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken,
            "send", "--subject", "お知らせ", "--body", "本文", "--category", "info", "--grades", "7");

        Assert.True(run.ExitCode == ExitCodes.ApiProblem, run.ToString());
        Assert.Contains("error 422: No recipients", run.Error, StringComparison.Ordinal);
        Assert.Contains("field audience", run.Error, StringComparison.Ordinal);
        Assert.Empty(await BroadcastsOfAsync(tenant));
    }

    [Theory]
    [InlineData("bc-000000000000000000000000")]
    [InlineData("no-such-broadcast")]
    public async Task Watching_an_unknown_broadcast_exits_non_zero_with_not_found(string id)
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.BoardToken, "watch", id);

        Assert.True(run.ExitCode == ExitCodes.ApiProblem, run.ToString());
        Assert.Contains("error 404: Not found", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Without_a_credential_nothing_is_asked_and_the_hint_names_the_options()
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["PTA_GATEWAY"] = fixture.BaseUrl }, interactive: false, "silos");

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("--token", run.Error, StringComparison.Ordinal);
        Assert.Contains("PTA_TOKEN", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_credential_and_an_unreachable_gateway_have_their_own_exit_codes()
    {
        var refused = await CliRun.AsAsync(fixture, "pta.k0123456789abcdef.not-the-secret", "silos");
        var unreachable = await CliRun.RunAsync(
            new Dictionary<string, string> { ["PTA_TOKEN"] = "pta.k0123456789abcdef.x" }, interactive: false,
            "silos", "--gateway", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.True(refused.ExitCode == ExitCodes.ApiProblem, refused.ToString());
        Assert.Contains("error 401", refused.Error, StringComparison.Ordinal);
        Assert.Contains("PTA_TOKEN", refused.Error, StringComparison.Ordinal);
        Assert.True(unreachable.ExitCode == ExitCodes.Unreachable, unreachable.ToString());
        Assert.Contains("cannot be reached", unreachable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_file_that_is_not_json_is_a_usage_error_before_anything_is_sent()
    {
        var tenant = await fixture.CreateTenantAsync(6);
        var file = Path.Combine(TestEnvironment.ScratchDirectory, $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{\"subject\": ");

        var run = await CliRun.AsAsync(fixture, tenant.FirstPrincipalToken, "send", "--file", file);

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("not valid JSON", run.Error, StringComparison.Ordinal);
        Assert.Empty(await BroadcastsOfAsync(tenant));
    }

    [Fact]
    public async Task A_board_credential_must_name_where_a_broadcast_goes()
    {
        var tenant = await fixture.CreateTenantAsync(6);

        var run = await CliRun.AsAsync(fixture, tenant.BoardToken, "send", "--subject", "お知らせ", "--body", "本文", "--emergency");
        var both = await CliRun.AsAsync(fixture, tenant.BoardToken, "send", "--school", tenant.First.SchoolId, "--board", "--emergency");

        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("--school ID, or --board", run.Error, StringComparison.Ordinal);
        Assert.True(both.ExitCode == ExitCodes.Usage, both.ToString());
        Assert.Empty(await BroadcastsOfAsync(tenant));
    }

    /// <summary>The first school's broadcasts, as its principal lists them.</summary>
    private async Task<JsonElement[]> BroadcastsOfAsync(CliTenant tenant)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.FirstPrincipalToken);
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/v1/schools/{tenant.First.SchoolId}/broadcasts");
        return [.. list.EnumerateArray()];
    }
}
