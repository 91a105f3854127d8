using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pta.Gateway.Operations;

namespace Pta.Gateway.Tests;

/// <summary>
/// Who reads the operations endpoints: <c>/metrics</c> a scraper on the gateway's own host, the operator credential
/// or a board administrator (not a school's staff, not a wrong token); the Orleans Dashboard the operator only; health
/// for anyone, ready only when the cluster and PostgreSQL answer.
/// </summary>
[Collection(OperationsCollection.Name)]
public sealed class OperationsAccessTests(OperationsFixture fixture)
{
    private const string Remote = "203.0.113.9";

    [Fact]
    public async Task Metrics_answer_loopback_and_operators_and_challenge_everyone_else()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        foreach (var loopback in new[] { "127.0.0.1", "::1" })
        {
            using var local = fixture.From(loopback);
            Assert.Contains("pta_", await MetricsTests.ScrapeAsync(local), StringComparison.Ordinal);
        }

        using (var stranger = fixture.From(Remote))
        using (var refused = await stranger.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.StartsWith("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        foreach (var wrong in new[]
                 {
                     new AuthenticationHeaderValue("Bearer", tenant.SchoolToken), // a school's staff: not an operator
                     OperationsFixture.Basic("not-the-token"),
                     new AuthenticationHeaderValue("Bearer", fixture.OperatorToken + "x"),
                 })
        {
            using var client = fixture.From(Remote, wrong);
            using var refused = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        foreach (var right in new[]
                 {
                     new AuthenticationHeaderValue("Bearer", fixture.OperatorToken),
                     OperationsFixture.Basic(fixture.OperatorToken),
                     new AuthenticationHeaderValue("Bearer", tenant.BoardToken), // a board administrator
                 })
        {
            using var client = fixture.From(Remote, right);
            Assert.Contains("pta_", await MetricsTests.ScrapeAsync(client), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_dashboard_refuses_anonymous_and_board_callers_and_serves_the_operator()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 2);
        using (var anonymous = fixture.From("127.0.0.1")) // loopback is no exemption here
        using (var refused = await anonymous.GetAsync("/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.StartsWith("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var board = fixture.From(Remote, new AuthenticationHeaderValue("Bearer", tenant.BoardToken)))
        using (var forbidden = await board.GetAsync("/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode); // it shows every board's grains
        }

        using var operatorClient = fixture.From(Remote, OperationsFixture.Basic(fixture.OperatorToken));
        // "/dashboard/": "/dashboard" redirects there, and HttpClient drops the credential on a redirect (a browser resends it).
        using var page = await operatorClient.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Health_is_live_and_ready_with_the_cluster_and_postgresql_and_the_old_endpoint_still_answers()
    {
        using var client = fixture.From(Remote);
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }

        using var legacy = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Contains("\"activeSilos\":1", await legacy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_postgresql_does_not_answer()
    {
        var closed = FreePort.Next(); // nothing listens there
        await using var check = new HealthChecks.PostgresCheck($"Host=127.0.0.1;Port={closed};Database=pta;Username=pta;Password=pta");
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("PostgreSQL did not answer", result.Description, StringComparison.Ordinal);
    }
}
