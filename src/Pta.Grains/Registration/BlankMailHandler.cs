using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Grains.Registration.Inbound;

namespace Pta.Grains.Registration;

/// <summary>
/// Self-registration, step 1: answers a blank mail sent to a school's registration address with a one-time
/// registration link, mailed back to the sender (so only the owner of the address can use it).
/// Idempotent by Message-ID: the same mail handled twice issues the same ticket. Answers are limited per sender and
/// per school (<see cref="BlankMailThrottle"/>), checked before anything is written or sent, so a flood of blank mails
/// costs a read of the school's profile each and never becomes a flood of outgoing mail.
/// </summary>
public sealed partial class BlankMailHandler(
    IGrainFactory grains,
    GuardianMailer mailer,
    LinkSigner links,
    BlankMailThrottle throttle,
    TimeProvider time,
    ILogger<BlankMailHandler> logger) : IBlankMailHandler
{
    public async Task<BlankMailDisposition> HandleAsync(BlankMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (!GuardianAddress.TryNormalize(mail.SenderAddress, out var sender, out _)
            || RegistrationAddress.SchoolIdOf(mail.RecipientAddress) is not { } schoolId
            || await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is not { } school)
        {
            LogRejected(logger, mail.RecipientAddress);
            return BlankMailDisposition.Rejected;
        }

        if (!throttle.TryAdmit(sender, schoolId, mail.MessageId))
        {
            // Removed unanswered: left in the mailbox, a flood would be read again on every poll, ahead of newer mail.
            LogThrottled(logger, schoolId, mail.MessageId);
            return BlankMailDisposition.Rejected;
        }

        var ticketId = mail.MessageId is { Length: > 0 } messageId ? links.TicketIdFor(messageId) : Ids.New("rt");
        await grains.GetGrain<IRegistrationTicketGrain>(ticketId)
            .IssueAsync(schoolId, sender, time.GetUtcNow().Add(links.Options.RegistrationLinkLifetime));
        var result = await mailer.SendRegistrationLinkAsync(school, sender, ticketId, cancellationToken);
        return result.Status switch
        {
            DeliveryStatus.Sent => BlankMailDisposition.Processed,
            DeliveryStatus.Deferred => BlankMailDisposition.RetryLater,
            _ => BlankMailDisposition.Rejected, // the sender's mailbox refuses mail: nobody to answer
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blank mail to {Recipient} rejected: unknown school or unusable sender")]
    private static partial void LogRejected(ILogger logger, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blank mail (Message-ID {MessageId}) to school {SchoolId} removed unanswered: over the sender's or the school's limit (Pta:RateLimits:BlankMail)")]
    private static partial void LogThrottled(ILogger logger, string schoolId, string? messageId);
}
