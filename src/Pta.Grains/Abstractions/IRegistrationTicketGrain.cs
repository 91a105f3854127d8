using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// A one-time registration link, issued in reply to a blank mail (空メール). Keyed by an unguessable id
/// (<c>rt-…</c>) that is the link's only secret; it expires and can be completed once.
/// </summary>
public interface IRegistrationTicketGrain : IGrainWithStringKey
{
    /// <summary>Issues the ticket; a second call (the same blank mail handled twice) changes nothing.</summary>
    Task IssueAsync(string schoolId, string senderAddress, DateTimeOffset expiresAt);

    /// <summary>The ticket for the registration page, or null when unknown or expired.</summary>
    [AlwaysInterleave]
    Task<RegistrationTicketView?> GetAsync();

    /// <summary>Checks the school's auth code and registers the child and the guardian.</summary>
    Task<RegistrationResult> CompleteAsync(RegistrationForm form);
}
