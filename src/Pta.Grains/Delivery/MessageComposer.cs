using System.Runtime.CompilerServices;
using System.Text;
using MimeKit;
using MimeKit.Encodings;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: renders one broadcast for many recipients. The body is encoded to base64 once per broadcast
/// and shared read-only; each message gets only its own To, Message-ID and a stream over the shared bytes.
/// A broadcast that asks for read confirmation (受信確認) adds a personal link on the body's last line: then only the
/// last few encoded lines are written per message (<see cref="ConfirmationBody"/>).
/// </summary>
public sealed class MessageComposer
{
    private readonly BroadcastContent _content;
    private readonly MailboxAddress _from;
    private readonly string _messageIdDomain;
    private readonly byte[]? _encodedBody;
    private readonly ConfirmationBody? _confirmationBody;
    private readonly DkimSigning? _dkim;
    private readonly byte[]? _rawSubject;
    private readonly byte[]? _rawFrom;

    /// <param name="content">The broadcast as this shard sends it.</param>
    /// <param name="dkim">Signs each message when a key is configured; null or off: unsigned.</param>
    /// <param name="confirmationLinks">Signs the personal links; required when the content asks for read confirmation.</param>
    /// <exception cref="ArgumentException">The content asks for read confirmation and no link signer was given.</exception>
    public MessageComposer(BroadcastContent content, DkimSigning? dkim = null, ConfirmationLinks? confirmationLinks = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        _content = content;
        _dkim = dkim is { Enabled: true } ? dkim : null;
        _from = new MailboxAddress(Encoding.UTF8, content.SenderName, content.SenderAddress);
        _messageIdDomain = MailboxAddress.Parse(content.SenderAddress).Domain;
        if (EncodedWords.Needed(content.Subject))
        {
            _rawSubject = EncodedWords.RawValue(content.Subject);
        }

        if (EncodedWords.Needed(content.SenderName))
        {
            _rawFrom = EncodedWords.RawValue(content.SenderName, $"<{_from.Address}>");
        }

        if (!content.RequestsConfirmation)
        {
            _encodedBody = EncodeBase64(NormalizeLineEndings(content.Body));
        }
        else
        {
            // Sending without the link would silently lose every confirmation of this broadcast: refuse instead.
            var links = confirmationLinks ?? throw new ArgumentException(
                $"Broadcast {content.BroadcastId} asks for read confirmation; the composer needs the confirmation link signer.", nameof(confirmationLinks));
            // The expiry is fixed once per composer (per shard), so a retried recipient gets the same link again.
            _confirmationBody = new ConfirmationBody(NormalizeLineEndings(content.Body), links, content.ConfirmationTarget, links.ExpiryFor(content.AcceptedAt));
        }
    }

    /// <summary>The envelope sender (MAIL FROM); the header From is the same address, so SPF and DMARC align.</summary>
    public MailboxAddress Sender => _from;

    /// <summary>A stable Message-ID per (broadcast, recipient): a retry or a resend after a crash carries the same id.</summary>
    public string MessageIdFor(Recipient recipient) =>
        $"{_content.BroadcastId}.{recipient.Key}@{_messageIdDomain}";

    /// <summary>One message addressed to one recipient only: nobody else's address appears anywhere in it.</summary>
    public MimeMessage Compose(Recipient recipient) => ComposeWithEnvelope(recipient).Message;

    /// <summary>
    /// The message and its envelope recipient (RCPT TO) together, as the delivery shard sends them: the address is
    /// checked and normalised once per message, not once for the header and again for the envelope.
    /// </summary>
    /// <exception cref="FormatException">The address is not one <see cref="GuardianAddress"/> accepts.</exception>
    public (MimeMessage Message, MailboxAddress Envelope) ComposeWithEnvelope(Recipient recipient)
    {
        var (address, at) = Accepted(recipient);
        var message = new MimeMessage();

        // A fresh From mailbox per message: an address added to a message's list subscribes that list to its
        // Changed event, so one shared instance would keep every composed message alive (measured: ~7 KB each).
        message.From.Add(new MailboxAddress(_from.Encoding, _from.Name, _from.Address));
        message.To.Add(HeaderMailbox(address, at));
        var subject = new Header(Encoding.UTF8, HeaderId.Subject, _content.Subject);
        message.Headers.Replace(subject);
        if (_rawSubject is not null)
        {
            subject.SetRawValue(_rawSubject); // shared read-only, like the body
        }

        if (_rawFrom is not null)
        {
            message.Headers[message.Headers.IndexOf(HeaderId.From)].SetRawValue(_rawFrom);
        }

        message.Date = _content.AcceptedAt;
        message.MessageId = MessageIdFor(recipient);

        var body = new MimePart("text", "plain")
        {
            ContentTransferEncoding = ContentEncoding.Base64,
            Content = new MimeContent(
                _confirmationBody?.EncodedFor(recipient.Key) ?? new MemoryStream(_encodedBody!, writable: false), ContentEncoding.Base64),
        };
        body.ContentType.Charset = "utf-8";
        message.Body = body;
        _dkim?.Sign(message, _messageIdDomain);
        return (message, EnvelopeMailbox(address, at));
    }

    /// <summary>
    /// The envelope recipient (RCPT TO) for a recipient, always in the bare form the carriers expect:
    /// <c>RCPT TO:&lt;taro..yamada.@docomo.ne.jp&gt;</c>, also for the pre-2009 docomo/au addresses whose local
    /// part is not an RFC 5322 dot-atom.
    /// </summary>
    /// <exception cref="FormatException">The address is not one <see cref="GuardianAddress"/> accepts.</exception>
    public static MailboxAddress ToMailbox(Recipient recipient)
    {
        var (address, at) = Accepted(recipient);
        return EnvelopeMailbox(address, at);
    }

    private static MailboxAddress EnvelopeMailbox(string address, int at)
    {
        if (IsDotAtom(address.AsSpan(0, at)))
        {
            return new MailboxAddress(string.Empty, address);
        }

        // MimeKit's parser rejects these local parts (leading, trailing or doubled dots) in every compliance
        // mode, and MailKit writes RCPT TO from MailboxAddress.GetAddress with no hook of its own. MimeKit's
        // internal constructor takes the address unparsed; that is safe only because GuardianAddress has just
        // accepted it: plain ASCII with no space, control, quote, bracket or separator that could end the command.
        // If a MimeKit update renames that constructor, this throws MissingMethodException and
        // LegacyAddressDeliveryTests fails.
        return CreateUnparsedMailbox(Encoding.UTF8, string.Empty, address, at);
    }

    /// <summary>
    /// The header To for a recipient. A legacy local part is quoted (<c>"taro..yamada."@docomo.ne.jp</c>) so the
    /// header stays valid RFC 5322 and MimeKit can parse it back; the quoted and bare forms name the same mailbox.
    /// </summary>
    public static MailboxAddress ToHeaderMailbox(Recipient recipient)
    {
        var (address, at) = Accepted(recipient);
        return HeaderMailbox(address, at);
    }

    private static MailboxAddress HeaderMailbox(string address, int at) =>
        IsDotAtom(address.AsSpan(0, at))
            ? new MailboxAddress(string.Empty, address)
            : new MailboxAddress(string.Empty, string.Concat("\"", address.AsSpan(0, at), "\"", address.AsSpan(at)));

    private static (string Address, int At) Accepted(Recipient recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (!GuardianAddress.TryNormalize(recipient.Address, out var address, out var error))
        {
            throw new FormatException($"Recipient {recipient.Key} has an address that cannot be sent to: {error}");
        }

        return (address, address.IndexOf('@', StringComparison.Ordinal));
    }

    // RFC 5322 dot-atom: atext runs separated by single dots, none at either end.
    private static bool IsDotAtom(ReadOnlySpan<char> local) =>
        local is not [] && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern MailboxAddress CreateUnparsedMailbox(Encoding encoding, string? name, string address, int at);

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
