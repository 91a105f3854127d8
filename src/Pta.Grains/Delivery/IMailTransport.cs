using MimeKit;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hands one rendered message to the next hop. Implementations: SMTP through a connection pool
/// (production and tests) and an .eml outbox folder (the embedded default, no mail server needed).
/// </summary>
public interface IMailTransport
{
    /// <summary>Sends one message to exactly one envelope recipient in the routine lane; never throws for delivery failures.</summary>
    ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken) =>
        SendAsync(message, sender, recipient, SendLane.Routine, cancellationToken);

    /// <summary>Sends one message to exactly one envelope recipient, queued in <paramref name="lane"/> for a connection.</summary>
    ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, SendLane lane, CancellationToken cancellationToken);
}
