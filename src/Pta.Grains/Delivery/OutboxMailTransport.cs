using Microsoft.Extensions.Options;
using MimeKit;

namespace Pta.Grains.Delivery;

/// <summary>
/// The embedded default's transport: one .eml file per message in the outbox folder, named after the
/// Message-ID, so a resend overwrites instead of duplicating. Written to a temporary name first, then
/// moved, so a reader never sees half a message.
/// </summary>
public sealed class OutboxMailTransport : IMailTransport
{
    private readonly string _directory;

    public OutboxMailTransport(IOptions<OutboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = Path.GetFullPath(options.Value.Directory);
        Directory.CreateDirectory(_directory);
    }

    public async ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, SendLane lane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var name = (message.MessageId ?? throw new ArgumentException("The message has no Message-ID.", nameof(message))).Split('@')[0];
        var path = Path.Combine(_directory, name + ".eml");
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await message.WriteToAsync(file, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
        return SendResult.Sent("250 written to " + path);
    }
}
