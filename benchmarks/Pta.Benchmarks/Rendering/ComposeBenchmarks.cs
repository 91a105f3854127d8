using System.Text;
using BenchmarkDotNet.Attributes;
using MimeKit;
using MimeKit.Text;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Benchmarks.Rendering;

/// <summary>
/// Rendering one broadcast for one recipient, as the delivery shard does before every send: compose the
/// per-recipient message and write it in its SMTP wire form (CRLF) to a reused buffer, so the figure is
/// the CPU and allocation cost per message, not the stream's. Each operation addresses the next of
/// <see cref="RecipientCount"/> distinct recipients.
/// </summary>
[MemoryDiagnoser]
public class ComposeBenchmarks
{
    private const int RecipientCount = 1024;

    private readonly Recipient[] _recipients = [.. Enumerable.Range(0, RecipientCount).Select(SampleBroadcast.RecipientAt)];

    /// <summary>The same recipients under keys as long as a city roster import makes them (<c>gi-</c> and 20 hex digits), for the links.</summary>
    private readonly Recipient[] _importedRecipients = [.. Enumerable.Range(0, RecipientCount)
        .Select(i => SampleBroadcast.RecipientAt(i) with { Key = $"gi-{i:x20}-1" })];
    private readonly MemoryStream _wire = new(capacity: 16 * 1024);
    private readonly FormatOptions _format = CreateWireFormat();
    private readonly BroadcastContent _content = SampleBroadcast.Content;
    private MessageComposer _composer = null!;
    private MessageComposer _signingComposer = null!;
    private MessageComposer _confirmingComposer = null!;
    private string _keyFile = null!;
    private MailboxAddress _from = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _composer = new MessageComposer(_content);
        _confirmingComposer = new MessageComposer(_content with { RequestsConfirmation = true }, confirmationLinks: SampleBroadcast.ConfirmationLinks());
        _from = new MailboxAddress(Encoding.UTF8, _content.SenderName, _content.SenderAddress);

        // A throwaway 2048-bit RSA key, the size DKIM deployments use today.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        _keyFile = Path.GetTempFileName();
        File.WriteAllText(_keyFile, key.ExportPkcs8PrivateKeyPem());
        _signingComposer = new MessageComposer(_content, new DkimSigning(Microsoft.Extensions.Options.Options.Create(new DkimOptions { PrivateKeyPath = _keyFile })));
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_keyFile);

    /// <summary>The naive way: a fresh TextPart per recipient, so the 2 KB body is UTF-8 encoded and base64-encoded every time.</summary>
    [Benchmark(Baseline = true)]
    public long NaiveTextPart()
    {
        var recipient = NextRecipient();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(_from.Encoding, _from.Name, _from.Address)); // fresh per message, as production does
        message.To.Add(MessageComposer.ToMailbox(recipient));
        message.Headers.Replace(new Header(Encoding.UTF8, HeaderId.Subject, _content.Subject));
        message.Date = _content.AcceptedAt;
        message.MessageId = _composer.MessageIdFor(recipient);
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.Base64 };
        body.SetText(Encoding.UTF8, _content.Body.ReplaceLineEndings("\r\n"));
        message.Body = body;
        return Write(message);
    }

    /// <summary>Production: <see cref="MessageComposer"/> shares the body it base64-encoded once per broadcast.</summary>
    [Benchmark]
    public long SharedEncodedBody() => Write(_composer.Compose(NextRecipient()));

    /// <summary>Production composing alone, without writing: the rest of <see cref="SharedEncodedBody"/> is MimeKit's writer.</summary>
    [Benchmark]
    public MimeMessage ComposeOnly() => _composer.Compose(NextRecipient());

    /// <summary>
    /// A broadcast that asks for read confirmation: each message also signs its personal link and base64-encodes the
    /// last lines of the body with it (the lines before are shared, as in <see cref="SharedEncodedBody"/>).
    /// </summary>
    [Benchmark]
    public long WithConfirmationLink()
    {
        var recipient = _importedRecipients[_next];
        _next = (_next + 1) % RecipientCount;
        return Write(_confirmingComposer.Compose(recipient));
    }

    /// <summary>Production with a DKIM key configured: one rsa-sha256 signature per recipient on top.</summary>
    [Benchmark]
    public long SignedWithDkim() => Write(_signingComposer.Compose(NextRecipient()));

    private Recipient NextRecipient()
    {
        var recipient = _recipients[_next];
        _next = (_next + 1) % RecipientCount;
        return recipient;
    }

    private long Write(MimeMessage message)
    {
        _wire.Position = 0;
        _wire.SetLength(0);
        message.WriteTo(_format, _wire);
        return _wire.Length;
    }

    /// <summary>What SmtpClient puts on the wire: CRLF line endings and no Bcc/Resent-Bcc headers.</summary>
    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.HiddenHeaders.Add(HeaderId.Bcc);
        format.HiddenHeaders.Add(HeaderId.ResentBcc);
        return format;
    }
}
