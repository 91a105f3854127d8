using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;

namespace Pta.Grains.Reports;

/// <summary>
/// Computes a broadcast's report in the silo, next to the stores. Not reentrant on purpose: callers who arrive while a
/// computation runs wait for it and are then served from it, so a city-wide report is computed once per
/// <see cref="Freshness"/> however many schools open it. The snapshot lives only in memory (the stores are the
/// truth), and the activation goes away after a few idle minutes, taking it along.
/// </summary>
[CollectionAgeLimit(Minutes = 3)]
public sealed class BroadcastReportGrain(
    IAudienceStore audienceStore,
    IDeliveryLedger ledger,
    IConfirmationStore confirmations,
    TimeProvider timeProvider) : Grain, IBroadcastReportGrain
{
    /// <summary>How old a report may be: confirmations arrive by the thousand per minute after a city-wide alert.</summary>
    internal static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    private ReportSnapshot? _snapshot;

    public async Task<BroadcastReport?> GetReportAsync(string? schoolId) => (await SnapshotAsync())?.For(schoolId);

    public async Task<IReadOnlyList<UnconfirmedHousehold>?> GetUnconfirmedAsync(string schoolId)
    {
        ArgumentNullException.ThrowIfNull(schoolId);
        return (await SnapshotAsync())?.UnconfirmedOf(schoolId);
    }

    private async Task<ReportSnapshot?> SnapshotAsync()
    {
        var now = timeProvider.GetUtcNow();
        if (_snapshot is { } fresh && now - fresh.GeneratedAt < Freshness)
        {
            return fresh;
        }

        var inputs = await ReadInputsAsync(now);
        _snapshot = inputs is null ? null : ReportSnapshot.Build(inputs);
        return _snapshot;
    }

    /// <summary>Reads everything at once: the rosters from their grains, the audience, outcomes and confirmations from their stores.</summary>
    private async Task<ReportInputs?> ReadInputsAsync(DateTimeOffset now)
    {
        var broadcastId = this.GetPrimaryKeyString();
        var broadcast = GrainFactory.GetGrain<IBroadcastGrain>(broadcastId);
        var view = await broadcast.GetAsync();
        var plan = await broadcast.GetAudiencePlanAsync();
        if (view is null || plan is null)
        {
            return null;
        }

        var schools = Task.WhenAll(plan.Shards.Select(s => s.SchoolId).Distinct(StringComparer.Ordinal).Select(ReadSchoolAsync));
        var audience = audienceStore.LoadAllAsync(broadcastId, CancellationToken.None);
        var outcomes = ledger.ReadAsync(broadcastId, CancellationToken.None);
        var confirmed = confirmations.ReadAsync(broadcastId, CancellationToken.None);
        await Task.WhenAll(schools, audience, outcomes, confirmed);
        return new ReportInputs(broadcastId, view.Status, view.PtaId is not null, plan,
            await audience, await schools, await outcomes, await confirmed, now);
    }

    private async Task<ReportSchool> ReadSchoolAsync(string schoolId)
    {
        var school = GrainFactory.GetGrain<ISchoolGrain>(schoolId);
        var profile = school.GetProfileAsync();
        var roster = school.GetRosterAsync();
        return new ReportSchool(schoolId, (await profile)?.Name ?? schoolId, await roster);
    }
}
