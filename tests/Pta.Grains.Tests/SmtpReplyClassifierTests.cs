using MailKit.Net.Smtp;
using Pta.Grains.Delivery;

namespace Pta.Grains.Tests;

public sealed class SmtpReplyClassifierTests
{
    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.ServiceNotAvailable, "4.7.0 Try again later", DeliveryStatus.Deferred)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "4.2.0 busy", DeliveryStatus.Deferred)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 User unknown", DeliveryStatus.InvalidAddress)]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.TransactionFailed, "5.1.1 No such user", DeliveryStatus.InvalidAddress)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "5.7.1 Message rejected as spam", DeliveryStatus.Failed)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.7.1 Sender denied", DeliveryStatus.Failed)]
    public void Replies_are_classified_as_carriers_need(SmtpErrorCode error, SmtpStatusCode status, string text, DeliveryStatus expected)
    {
        var result = SmtpReplyClassifier.Classify(new SmtpCommandException(error, status, text));

        Assert.Equal(expected, result.Status);
        Assert.Contains(text, result.Reply, StringComparison.Ordinal);
    }
}
