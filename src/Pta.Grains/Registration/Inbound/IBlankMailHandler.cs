namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// Answers one blank registration mail taken from the registration mailbox. Delivery is at-least-once: a
/// mail whose handling failed or returned <see cref="BlankMailDisposition.RetryLater"/> (or whose removal
/// from the mailbox was interrupted) is handed over again, so implementations must be idempotent by
/// <see cref="BlankMail.MessageId"/>.
/// </summary>
public interface IBlankMailHandler
{
    /// <summary>Handles the mail; an exception counts as <see cref="BlankMailDisposition.RetryLater"/>.</summary>
    Task<BlankMailDisposition> HandleAsync(BlankMail mail, CancellationToken cancellationToken);
}
