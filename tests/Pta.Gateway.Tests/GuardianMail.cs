using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Pta.Grains.Registration;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// What a guardian's phone does in the registration flow, for every test that needs a registered guardian:
/// send a blank mail into the registration mailbox, follow the link in the reply, read the completion mail.
/// </summary>
internal static partial class GuardianMail
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Sends a blank mail from <paramref name="sender"/>; returns the ticket id of the link in the reply.</summary>
    public static async Task<string> SendBlankMailAsync(GatewayFixture fixture, TestTenant tenant, string sender)
    {
        var isReply = IsRegistrationReplyTo(sender);
        var before = fixture.Sink.Messages().Count(isReply);
        await fixture.Mailbox.AppendAsync(BlankMail(tenant, sender));
        var replies = await fixture.Sink.WaitForAsync(isReply, before + 1, Patience);
        var link = RegistrationLink().Matches(string.Concat(replies.Select(r => r.Message.TextBody))).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(link.Count > 0, $"phase 'blank mail': the reply to {sender} carries a registration link");
        return link[^1];
    }

    /// <summary>A blank mail from <paramref name="sender"/> to the school's registration address, with a new Message-ID.</summary>
    public static MimeMessage BlankMail(TestTenant tenant, string sender)
    {
        // Written out as a phone sends it: the From of a pre-2009 docomo address is not RFC 5322 (no quotes),
        // so the message is built from raw text rather than through MimeKit's address parser, which refuses it.
        var raw = $"From: {sender}\r\nTo: {RegistrationAddress.For(tenant.School)}\r\nSubject: \r\n" +
                  $"Message-ID: <{Guid.NewGuid():N}@guardian.test>\r\nDate: {DateTimeOffset.UtcNow:R}\r\nMIME-Version: 1.0\r\n" +
                  "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
        return MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));
    }

    /// <summary>Matches the reply to a blank mail (the registration link) sent to <paramref name="sender"/>.</summary>
    public static Func<SinkMessage, bool> IsRegistrationReplyTo(string sender) =>
        m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録のご案内", StringComparison.Ordinal);

    /// <summary>The self-service token in the newest completion mail to <paramref name="address"/>.</summary>
    public static async Task<string> CompletionTokenAsync(GatewayFixture fixture, string address, int count = 1)
    {
        var completions = await fixture.Sink.WaitForAsync(
            m => SmtpSink.To(address)(m) && (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal), count, Patience);
        var token = ManageToken().Match(completions[^1].Message.TextBody ?? "");
        Assert.True(token.Success, $"phase 'completion mail': the mail to {address} carries a self-service link");
        return token.Groups[1].Value;
    }

    /// <summary>Registers a child by blank mail and form; returns the self-service token.</summary>
    public static async Task<string> RegisterAsync(
        GatewayFixture fixture, TestTenant tenant, string sender, string[] otherAddresses, int grade = 1, string child = "山田太郎")
    {
        var ticket = await SendBlankMailAsync(fixture, tenant, sender);
        using var anonymous = fixture.Anonymous();
        using var registered = await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", Form(GatewayFixture.AuthCode, grade, otherAddresses, child));
        registered.EnsureSuccessStatusCode();
        return await CompletionTokenAsync(fixture, sender);
    }

    public static object Form(string authCode, int grade, string[] addresses, string child = "山田太郎") =>
        new { authCode, childName = child, grade, @class = "2", guardianName = "山田花子", addresses, consent = true };

    [GeneratedRegex(@"http://pta\.test/register/(rt-[0-9a-f]{32})")]
    public static partial Regex RegistrationLink();

    [GeneratedRegex(@"http://pta\.test/me/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    public static partial Regex ManageToken();
}
