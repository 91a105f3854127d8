using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// The public endpoints' rate limits (issue 6, item 8), against a gateway with low limits (<see cref="RateLimitFixture"/>):
/// 429 with Retry-After and a problem body per client address, other addresses unaffected, a per-broadcast (tenant)
/// limit that many addresses trip together, a window that resets, and the limits of both ways in — the middleware and
/// the short-circuited confirmation link.
/// </summary>
[Collection(RateLimitCollection.Name)]
public sealed partial class RateLimitTests(RateLimitFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task A_client_over_its_address_limit_gets_429_with_retry_after_and_a_problem_while_another_address_is_served()
    {
        var address = fixture.NewAddress();
        using var guardian = fixture.From(address);
        var answered = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitFixture.RegistrationPerAddress; i++)
        {
            // The page and its API count together: one family, one limit.
            using var response = await guardian.GetAsync(i == 0 ? $"/register/{UnknownTicket()}" : $"/api/v1/registrations/{UnknownTicket()}");
            answered.Add(response.StatusCode);
        }

        using var refused = await guardian.GetAsync($"/api/v1/registrations/{UnknownTicket()}");
        using var refusedPage = await guardian.GetAsync($"/register/{UnknownTicket()}");
        using var neighbour = fixture.From(fixture.NewAddress());
        using var served = await neighbour.GetAsync($"/api/v1/registrations/{UnknownTicket()}");

        Assert.Equal([HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.NotFound, RateLimitFixture.RegistrationPerAddress - 1)], answered);
        await AssertTooManyRequestsAsync(refused, TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    [Fact]
    public async Task An_ipv6_client_is_counted_by_its_64_prefix()
    {
        var prefix = $"2001:db8:{RandomNumberGenerator.GetInt32(0x10000):x}:{RandomNumberGenerator.GetInt32(0x8000):x}";
        for (var host = 1; host <= RateLimitFixture.RegistrationPerAddress; host++)
        {
            using var client = fixture.From($"{prefix}::{host:x}");
            using var response = await client.GetAsync($"/api/v1/registrations/{UnknownTicket()}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var sameNetwork = fixture.From($"{prefix}::ffff:1");
        using var refused = await sameNetwork.GetAsync($"/api/v1/registrations/{UnknownTicket()}");
        using var nextNetwork = fixture.From($"{prefix[..prefix.LastIndexOf(':')]}:{RandomNumberGenerator.GetInt32(0x8000, 0x10000):x}::1");
        using var served = await nextNetwork.GetAsync($"/api/v1/registrations/{UnknownTicket()}");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    [Fact]
    public async Task Many_addresses_clicking_one_broadcasts_links_trip_its_limit_while_another_broadcast_is_served()
    {
        var links = await SendConfirmingBroadcastAsync(guardians: 4);
        var otherLinks = await SendConfirmingBroadcastAsync(guardians: 2);
        var clicks = new List<HttpResponseMessage>();
        var address = "";
        for (var i = 0; i < RateLimitFixture.ConfirmationPerBroadcast + 2; i++)
        {
            // Two clicks per address: each address stays under its own limit, so only the broadcast's can refuse.
            address = i % 2 == 0 ? fixture.NewAddress() : address;
            using var guardian = fixture.From(address);
            clicks.Add(await guardian.GetAsync(links[i % links.Count]));
        }

        using var sameAddressOtherBroadcast = fixture.From(address);
        using var served = await sameAddressOtherBroadcast.GetAsync(otherLinks[0]);

        Assert.True(RateLimitFixture.ConfirmationPerAddress > 2, "each address must stay under its own limit for this test to mean anything");
        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.OK, RateLimitFixture.ConfirmationPerBroadcast), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            clicks.Select(c => c.StatusCode));
        await AssertTooManyRequestsAsync(clicks[^1], TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        clicks.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Forged_confirmation_links_count_against_their_address_although_the_route_is_short_circuited()
    {
        using var prober = fixture.From(fixture.NewAddress());
        for (var i = 0; i < RateLimitFixture.ConfirmationPerAddress; i++)
        {
            using var response = await prober.GetAsync($"/c/forged{i}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // the "link cannot be used" page
        }

        using var refused = await prober.GetAsync("/c/forged-again");
        await AssertTooManyRequestsAsync(refused, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_limit_resets_after_its_window()
    {
        using var guardian = fixture.From(fixture.NewAddress());
        for (var i = 0; i < RateLimitFixture.FilesPerAddress; i++)
        {
            using var response = await guardian.GetAsync($"/files/{UnknownAttachment()}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var refused = await guardian.GetAsync($"/files/{UnknownAttachment()}");
        await AssertTooManyRequestsAsync(refused, RateLimitFixture.FilesWindow);

        // As a client honouring Retry-After does; the window began before the refusal, so it has ended by then.
        await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(300));
        var again = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitFixture.FilesPerAddress; i++)
        {
            using var response = await guardian.GetAsync($"/files/{UnknownAttachment()}");
            again.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, RateLimitFixture.FilesPerAddress), HttpStatusCode.TooManyRequests], again);
    }

    internal static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, TimeSpan retryAfter)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode}: {body}");
        Assert.Equal(retryAfter, response.Headers.RetryAfter?.Delta);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        Assert.Equal((int)retryAfter.TotalSeconds, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
    }

    internal static string UnknownTicket() => "rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string UnknownAttachment() => "at-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A confirming emergency to a new school's guardians; the link paths from the mails at the sink.</summary>
    private async Task<IReadOnlyList<string>> SendConfirmingBroadcastAsync(int guardians)
    {
        var tenant = await fixture.CreateTenantAsync(guardians);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var response = await staff.SendAsync(Requests.Post(tenant.School.SchoolId,
            new { subject = Requests.Subject, body = Requests.Body, category = "emergency", requireConfirmation = true }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(staff, response.Headers.Location!.ToString());
        var addresses = tenant.Roster.SelectMany(r => r.BroadcastAddresses).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var links = fixture.Sink.Messages()
            .Where(m => addresses.Contains(m.Message.To.Mailboxes.Single().Address))
            .Select(m => Link().Match(m.Message.TextBody ?? "")).Where(m => m.Success).Select(m => m.Groups[1].Value)
            .ToList();
        Assert.True(links.Count == addresses.Count, $"phase 'delivery': {links.Count} links in the mails of {addresses.Count} guardians");
        return links;
    }

    [GeneratedRegex(@"http://pta\.test(/c/[A-Za-z0-9_-]+)\r?\n")]
    private static partial Regex Link();
}
