using MailKit.Net.Smtp;

namespace Pta.Grains.Delivery;

/// <summary>
/// Maps an SMTP error reply to a delivery status. Carriers document no throttle codes, so every 4xx is
/// "slow down and retry"; a 5xx about the mailbox (550/551/553 at RCPT, or enhanced code 5.1.x) means the
/// address is gone and must be suppressed; any other 5xx is a permanent failure of this message.
/// </summary>
public static class SmtpReplyClassifier
{
    public static SendResult Classify(SmtpCommandException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = (int)exception.StatusCode;
        var reply = $"{code} {exception.Message}";
        if (code is >= 400 and < 500)
        {
            return new SendResult(DeliveryStatus.Deferred, reply);
        }

        var unknownMailbox = exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted
            && (code is 550 or 551 or 553 || exception.Message.Contains("5.1.", StringComparison.Ordinal));
        return new SendResult(unknownMailbox ? DeliveryStatus.InvalidAddress : DeliveryStatus.Failed, reply);
    }
}
