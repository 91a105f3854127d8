namespace Pta.Grains.Registration.Inbound;

/// <summary>What became of a blank mail; decides whether the poller removes it from the mailbox.</summary>
public enum BlankMailDisposition
{
    /// <summary>Handled (e.g. the registration link was sent): the mail is removed.</summary>
    Processed,

    /// <summary>Not a valid registration request (unknown school, automatic mail, ...): the mail is removed.</summary>
    Rejected,

    /// <summary>Could not be handled now: the mail stays and is handed over again on the next poll.</summary>
    RetryLater,
}
