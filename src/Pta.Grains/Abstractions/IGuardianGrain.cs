using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// One guardian: addresses (slots 1–4), the broadcast switch, children at any school of the city, and
/// consents, PTA memberships. Pushes a <see cref="GuardianContact"/> to each school of its children and each PTA
/// it joined whenever it changes.
/// Keyed by guardian id (<c>gd-…</c>).
/// </summary>
public interface IGuardianGrain : IGrainWithStringKey
{
    /// <summary>
    /// First registration, or a further child (sibling) of a known guardian: records the consent, adds the child,
    /// puts new addresses into free slots as pending, and sends their completion mails.
    /// </summary>
    Task EnrolAsync(string name, IReadOnlyList<string> addresses, ConsentRecord consent, ChildLink child);

    /// <summary>The guardian's own view, or null when unknown.</summary>
    [AlwaysInterleave]
    Task<GuardianView?> GetAsync();

    /// <summary>Puts an address into a slot (pending until its completion mail is accepted), or clears the slot.</summary>
    Task SetAddressAsync(int slot, string? address);

    /// <summary>The "receive broadcasts" switch (on by default, seed 004).</summary>
    Task SetReceiveBroadcastsAsync(bool receive);

    /// <summary>A school moved or removed one of the guardian's children (transfer, graduation); no call back to the school.</summary>
    Task MoveChildAsync(ChildLink from, ChildLink? to);

    /// <summary>
    /// Joins a PTA of a school where the guardian has a child, recording the consent (purpose <c>pta:&lt;ptaId&gt;</c>),
    /// and hands the PTA the guardian's contact. False when the guardian is not active, has no child at that
    /// school, or the PTA is not configured. Joining again while a member changes nothing.
    /// </summary>
    Task<bool> JoinPtaAsync(string ptaId, ConsentRecord consent);

    /// <summary>Leaves a PTA: off its list at once, the consent marked withdrawn (kept as evidence). False when not a member.</summary>
    Task<bool> LeavePtaAsync(string ptaId);

    /// <summary>The receiving server called this address unknown (5.1.1): mark it invalid if the slot still holds it.</summary>
    Task MarkInvalidAsync(int slot, string address);

    /// <summary>Withdraws: leaves every school's and PTA's recipient list at once; data purged after the retention period.</summary>
    Task WithdrawAsync();

    /// <summary>
    /// Purges the personal data of a guardian withdrawn longer than the retention period; true if it purged now.
    /// Called daily by the guardian's purge reminder (durable across restarts), and callable by operators.
    /// </summary>
    Task<bool> PurgeIfDueAsync();
}
