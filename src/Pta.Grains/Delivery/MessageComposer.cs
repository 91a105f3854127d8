using System.Text;
using MimeKit;
using MimeKit.Encodings;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: renders one broadcast for many recipients. The body is encoded to base64 once per broadcast
/// and shared read-only; each message gets only its own To, Message-ID and a stream over the shared bytes.
/// </summary>
public sealed class MessageComposer
{
    private readonly BroadcastContent _content;
    private readonly MailboxAddress _from;
    private readonly string _messageIdDomain;
    private readonly byte[] _encodedBody;

    public MessageComposer(BroadcastContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        _content = content;
        _from = new MailboxAddress(Encoding.UTF8, content.SenderName, content.SenderAddress);
        _messageIdDomain = MailboxAddress.Parse(content.SenderAddress).Domain;
        _encodedBody = EncodeBase64(NormalizeLineEndings(content.Body));
    }

    /// <summary>The envelope sender (MAIL FROM); the header From is the same address, so SPF and DMARC align.</summary>
    public MailboxAddress Sender => _from;

    /// <summary>A stable Message-ID per (broadcast, recipient): a retry or a resend after a crash carries the same id.</summary>
    public string MessageIdFor(Recipient recipient) =>
        $"{_content.BroadcastId}.{recipient.Key}@{_messageIdDomain}";

    /// <summary>One message addressed to one recipient only: nobody else's address appears anywhere in it.</summary>
    public MimeMessage Compose(Recipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var message = new MimeMessage();

        // A fresh From mailbox per message: an address added to a message's list subscribes that list to its
        // Changed event, so one shared instance would keep every composed message alive (measured: ~7 KB each).
        message.From.Add(new MailboxAddress(_from.Encoding, _from.Name, _from.Address));
        message.To.Add(ToMailbox(recipient));
        message.Headers.Replace(new Header(Encoding.UTF8, HeaderId.Subject, _content.Subject));
        message.Date = _content.AcceptedAt;
        message.MessageId = MessageIdFor(recipient);

        var body = new MimePart("text", "plain")
        {
            ContentTransferEncoding = ContentEncoding.Base64,
            Content = new MimeContent(new MemoryStream(_encodedBody, writable: false), ContentEncoding.Base64),
        };
        body.ContentType.Charset = "utf-8";
        message.Body = body;
        return message;
    }

    /// <summary>The envelope recipient (RCPT TO) for a recipient.</summary>
    public static MailboxAddress ToMailbox(Recipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return new MailboxAddress(string.Empty, recipient.Address);
    }

    private static string NormalizeLineEndings(string text) =>
        text.ReplaceLineEndings("\r\n");

    private static byte[] EncodeBase64(string text)
    {
        var raw = Encoding.UTF8.GetBytes(text);
        var encoder = new Base64Encoder();
        var output = new byte[encoder.EstimateOutputLength(raw.Length)];
        var length = encoder.Flush(raw, 0, raw.Length, output);
        return output.AsSpan(0, length).ToArray();
    }
}
