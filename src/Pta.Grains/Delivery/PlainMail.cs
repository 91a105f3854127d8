using System.Text;
using MimeKit;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// One plain-text mail from a school's own sender to one address, outside any broadcast: the registration mails to a
/// guardian, the emergency report to the principal. Same envelope rules as a broadcast (MessageComposer).
/// </summary>
public static class PlainMail
{
    public static async Task<SendResult> SendAsync(
        IMailTransport transport, SchoolProfile school, string address, string subject, string body, string messageIdLocalPart,
        DateTimeOffset date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(school);
        var recipient = new Recipient(messageIdLocalPart, address);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Encoding.UTF8, school.SenderName, school.SenderAddress));
        message.To.Add(MessageComposer.ToHeaderMailbox(recipient));
        message.Headers.Replace(new Header(Encoding.UTF8, HeaderId.Subject, subject));
        message.Date = date;
        message.MessageId = $"{messageIdLocalPart}@{MailboxAddress.Parse(school.SenderAddress).Domain}";
        var part = new TextPart(MimeKit.Text.TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        part.SetText(Encoding.UTF8, body.ReplaceLineEndings("\r\n"));
        message.Body = part;
        return await transport.SendAsync(message, new MailboxAddress(string.Empty, school.SenderAddress), MessageComposer.ToMailbox(recipient), cancellationToken);
    }
}
