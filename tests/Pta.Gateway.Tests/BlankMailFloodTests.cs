using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// A flood of blank registration mails, delivered into the real IMAP mailbox and answered (or not) through the real
/// smtp-sink, never becomes a flood of registration mails: at most the sender's limit to one sender, at most the
/// school's limit for one school (<see cref="RateLimitFixture"/>: 3 per sender, 6 per school).
/// </summary>
[Collection(RateLimitCollection.Name)]
public sealed class BlankMailFloodTests(RateLimitFixture fixture)
{
    private const int Flood = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_flood_from_one_sender_gets_at_most_the_senders_limit_of_registration_mails()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var sender = $"flood.{tenant.School.SchoolId[2..]}@docomo.ne.jp";
        for (var i = 0; i < Flood; i++)
        {
            await fixture.Mailbox.AppendAsync(GuardianMail.BlankMail(tenant, sender));
        }

        await fixture.Sink.WaitForAsync(GuardianMail.IsRegistrationReplyTo(sender), RateLimitFixture.BlankMailPerSender, Patience);
        await MailboxDrainedAsync();

        Assert.Equal(RateLimitFixture.BlankMailPerSender, fixture.Sink.Messages().Count(GuardianMail.IsRegistrationReplyTo(sender)));
    }

    [Fact]
    public async Task A_flood_from_many_senders_to_one_school_gets_at_most_the_schools_limit_of_registration_mails()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var senders = Enumerable.Range(0, Flood).Select(i => $"forged{i}.{tenant.School.SchoolId[2..]}@ezweb.ne.jp").ToList();
        foreach (var sender in senders)
        {
            await fixture.Mailbox.AppendAsync(GuardianMail.BlankMail(tenant, sender));
        }

        var isReply = (SinkMessage m) => senders.Any(s => GuardianMail.IsRegistrationReplyTo(s)(m));
        await fixture.Sink.WaitForAsync(isReply, RateLimitFixture.BlankMailPerSchool, Patience);
        await MailboxDrainedAsync();

        Assert.Equal(RateLimitFixture.BlankMailPerSchool, fixture.Sink.Messages().Count(isReply));
    }

    /// <summary>Every mail handled: the poller removes a mail only after its reply was accepted or it was refused.</summary>
    private Task MailboxDrainedAsync() =>
        Eventually.TrueAsync(async () => await fixture.Mailbox.CountAsync() == 0, "blank-mail intake: the poller emptied the mailbox", Patience);
}
