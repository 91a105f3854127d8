using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>One <c>progress</c> event of <see cref="BroadcastEventsApi"/>: where the broadcast stands, as the console's bars show it.</summary>
/// <param name="BroadcastId">The broadcast.</param>
/// <param name="Status">Its status (sending, completed, …).</param>
/// <param name="Counts">Recipients (addresses), sent (accepted by the receiving server), deferred (to be retried), failed (bounced).</param>
/// <param name="AttemptedPercent">Sent, deferred and failed over recipients, 0–100: the progress bar.</param>
/// <param name="Schools">Per school (a school's staff see their own school only).</param>
/// <param name="Carriers">Per carrier.</param>
/// <param name="Confirmation">Read confirmations by household; null when the broadcast asks for none or has not started.</param>
public sealed record BroadcastLiveEvent(
    string BroadcastId,
    BroadcastStatus Status,
    BroadcastCounts Counts,
    double AttemptedPercent,
    IReadOnlyList<SchoolProgress> Schools,
    IReadOnlyList<CarrierProgress> Carriers,
    LiveConfirmation? Confirmation)
{
    public static BroadcastLiveEvent Of(BroadcastView view, BroadcastProgress progress, LiveConfirmation? confirmation)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(progress);
        var c = progress.Counts;
        var attempted = c.Recipients == 0 ? 0 : Math.Round(100.0 * (c.Sent + c.Deferred + c.Failed) / c.Recipients, 1);
        return new BroadcastLiveEvent(view.Id, view.Status, c, attempted, progress.Schools, progress.Carriers, confirmation);
    }

    /// <summary>Whether nothing a console shows changed (records compare lists by reference, hence by hand).</summary>
    public bool SameAs(BroadcastLiveEvent other) =>
        other is not null && Status == other.Status && Counts == other.Counts && Confirmation == other.Confirmation
        && Schools.SequenceEqual(other.Schools) && Carriers.SequenceEqual(other.Carriers);
}

/// <summary>Read confirmations (受信確認) of a broadcast, counted by household as the report counts them.</summary>
/// <param name="Households">Households in the audience.</param>
/// <param name="ConfirmedHouseholds">Households that confirmed.</param>
/// <param name="ConfirmedPercent">Confirmed over reached households, as the report states it.</param>
/// <param name="CountedAt">When the report behind these figures was computed.</param>
public sealed record LiveConfirmation(int Households, int ConfirmedHouseholds, double ConfirmedPercent, DateTimeOffset CountedAt)
{
    public static LiveConfirmation? Of(BroadcastReport? report) =>
        report is null ? null : new LiveConfirmation(report.Totals.Households, report.Totals.ConfirmedHouseholds, report.Totals.ConfirmedPercent, report.GeneratedAt);
}
