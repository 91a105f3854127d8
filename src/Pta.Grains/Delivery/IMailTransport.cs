using MimeKit;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hands one rendered message to the next hop. Implementations: SMTP through a connection pool
/// (production and tests) and an .eml outbox folder (the embedded default, no mail server needed).
/// </summary>
public interface IMailTransport
{
    /// <summary>Sends one message to exactly one envelope recipient; never throws for delivery failures.</summary>
    ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken);
}
