using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Read confirmation end to end: a broadcast with <c>requireConfirmation</c> through the API, its mails read at the
/// smtp-sink, their links opened at the gateway, the confirmations counted in PostgreSQL.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class ConfirmationLinkTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Every_mail_carries_its_own_link_and_opening_either_address_of_a_household_records_it_once()
    {
        var (tenant, mails) = await SendAsync(guardians: 6, requireConfirmation: true, secondAddressOfFirst: true);
        var first = tenant.Roster[0];
        var linkTo = mails.ToDictionary(m => m.Message.To.Mailboxes.Single().Address, LinkIn);
        using var guardian = fixture.Anonymous();

        using var opened = await guardian.GetAsync(linkTo[first.BroadcastAddresses[0]]);
        var page = await opened.Content.ReadAsStringAsync();
        using var again = await guardian.GetAsync(linkTo[first.BroadcastAddresses[0]]);
        using var otherAddress = await guardian.GetAsync(linkTo[first.BroadcastAddresses[1]]);
        using var probed = await guardian.SendAsync(new HttpRequestMessage(HttpMethod.Head, linkTo[tenant.Roster[1].BroadcastAddresses[0]]));

        Assert.Equal(7, mails.Count);
        Assert.Equal(7, linkTo.Values.Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("text/html; charset=utf-8", opened.Content.Headers.ContentType?.ToString());
        Assert.Contains("確認しました", page, StringComparison.Ordinal);
        Assert.Equal(page, await again.Content.ReadAsStringAsync());
        Assert.Equal(page, await otherAddress.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);
        Assert.Empty(await probed.Content.ReadAsByteArrayAsync());
        var stored = Assert.Single(await Store.ReadAsync(BroadcastOf(mails), CancellationToken.None));
        Assert.Equal((first.GuardianId, $"{first.GuardianId}-1"), (stored.Household, stored.RecipientKey)); // the first click is kept
        Assert.Equal(1, await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_confirmation WHERE broadcast_id = $1", BroadcastOf(mails)));
    }

    [Fact]
    public async Task Tampered_malformed_and_expired_links_get_an_error_page_that_reveals_nothing_and_record_nothing()
    {
        var (tenant, mails) = await SendAsync(guardians: 2, requireConfirmation: true);
        var link = LinkIn(mails[0]);
        var token = link[(link.LastIndexOf('/') + 1)..];
        var middle = token.Length / 2;
        var tampered = $"/c/{token[..middle]}{(token[middle] == 'A' ? 'B' : 'A')}{token[(middle + 1)..]}";
        var links = fixture.Services.GetRequiredService<ConfirmationLinks>();
        var recipientKey = $"{tenant.Roster[0].GuardianId}-1";
        var expired = new Uri(links.Url(BroadcastOf(mails), recipientKey, DateTimeOffset.UtcNow.AddSeconds(-1))).PathAndQuery;
        using var guardian = fixture.Anonymous();

        using var forged = await guardian.GetAsync(tampered);
        using var malformed = await guardian.GetAsync("/c/not-a-token");
        using var late = await guardian.GetAsync(expired);

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("このリンクは使えません", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("受付期間が終わりました", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var response in new[] { forged, malformed, late })
        {
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.DoesNotContain(tenant.School.SchoolId, page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(tenant.School.Name, page, StringComparison.Ordinal);
            Assert.DoesNotContain(BroadcastOf(mails), page, StringComparison.Ordinal);
            Assert.DoesNotContain("@", page, StringComparison.Ordinal);
        }

        Assert.Empty(await Store.ReadAsync(BroadcastOf(mails), CancellationToken.None));
    }

    [Fact]
    public async Task A_broadcast_without_confirmation_has_no_link_in_its_mails()
    {
        var (_, mails) = await SendAsync(guardians: 3, requireConfirmation: false);

        Assert.Equal(3, mails.Count);
        Assert.All(mails, m =>
        {
            Assert.DoesNotMatch(Link(), m.Message.TextBody ?? "");
            Assert.Equal(Requests.Body, m.Message.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'));
        });
    }

    /// <summary>A school broadcast through the API to a fresh tenant; returns its mails once all arrived at the sink.</summary>
    private async Task<(TestTenant Tenant, IReadOnlyList<SinkMessage> Mails)> SendAsync(int guardians, bool requireConfirmation, bool secondAddressOfFirst = false)
    {
        var tenant = await fixture.CreateTenantAsync(guardians);
        if (secondAddressOfFirst)
        {
            var first = tenant.Roster[0];
            var roster = tenant.Roster.Skip(1).Prepend(first with { BroadcastAddresses = [first.BroadcastAddresses[0], $"second.{first.BroadcastAddresses[0]}"] }).ToList();
            await fixture.Grains.GetGrain<ISchoolGrain>(tenant.School.SchoolId).ReplaceRosterAsync(roster);
            tenant = tenant with { Roster = roster };
        }

        using var staff = fixture.WithToken(tenant.SchoolToken);
        using var response = await staff.SendAsync(Requests.Post(tenant.School.SchoolId,
            new { subject = Requests.Subject, body = Requests.Body, category = "emergency", requireConfirmation }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(staff, response.Headers.Location!.ToString());
        var addresses = tenant.Roster.SelectMany(r => r.BroadcastAddresses).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mails = fixture.Sink.Messages().Where(m => addresses.Contains(m.Message.To.Mailboxes.Single().Address)).ToList();
        Assert.True(mails.Count == addresses.Count, $"phase 'delivery': {mails.Count} of {addresses.Count} mails at the sink");
        return (tenant, mails);
    }

    /// <summary>The link's path, as the guardian's phone requests it from the gateway.</summary>
    private static string LinkIn(SinkMessage mail)
    {
        var match = Link().Match(mail.Message.TextBody ?? "");
        Assert.True(match.Success, $"the mail to {mail.Message.To} carries a confirmation link");
        return match.Groups[1].Value;
    }

    private static string BroadcastOf(IReadOnlyList<SinkMessage> mails) => mails[0].Message.MessageId!.Split('.')[0];

    private IConfirmationStore Store => fixture.Services.GetRequiredService<IConfirmationStore>();

    [GeneratedRegex(@"http://pta\.test(/c/[A-Za-z0-9_-]+)\r?\n")]
    private static partial Regex Link();
}
