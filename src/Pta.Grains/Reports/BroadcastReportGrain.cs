using Orleans.Concurrency;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;

namespace Pta.Grains.Reports;

/// <summary>
/// Computes a broadcast's report in the silo, next to the stores. One computation at a time per broadcast, shared by
/// every caller who arrives meanwhile, so a city-wide report is computed once per freshness period however many schools
/// open it. A report stays fresh for 10 s, or three times as long as it took to compute (a city-wide one takes seconds:
/// benchmarks/report.sh), and while a slow one is recomputed, callers get the previous one, which says when it was
/// made. Reentrant so that callers are not held up behind the reads; the CPU part runs on the thread pool. The snapshot
/// lives only in memory (the stores are the truth) and goes away with the activation after a few idle minutes.
/// </summary>
[Reentrant]
[CollectionAgeLimit(Minutes = 3)]
public sealed class BroadcastReportGrain(
    IAudienceStore audienceStore,
    IDeliveryLedger ledger,
    IConfirmationStore confirmations,
    TimeProvider timeProvider) : Grain, IBroadcastReportGrain
{
    /// <summary>How old a report may be at least: confirmations arrive by the thousand per minute after a city-wide alert.</summary>
    internal static readonly TimeSpan MinimumFreshness = TimeSpan.FromSeconds(10);

    /// <summary>A computation this quick is waited for; a slower one is not, the previous snapshot is served meanwhile.</summary>
    private static readonly TimeSpan QuickComputation = TimeSpan.FromSeconds(2);

    private ReportSnapshot? _snapshot;
    private TimeSpan _lastDuration;
    private Task<ReportSnapshot?>? _computing;

    public async Task<BroadcastReport?> GetReportAsync(string? schoolId) => (await SnapshotAsync())?.For(schoolId);

    public async Task<IReadOnlyList<UnconfirmedHousehold>?> GetUnconfirmedAsync(string schoolId)
    {
        ArgumentNullException.ThrowIfNull(schoolId);
        return (await SnapshotAsync())?.UnconfirmedOf(schoolId);
    }

    private async Task<ReportSnapshot?> SnapshotAsync()
    {
        var freshness = _lastDuration * 3 > MinimumFreshness ? _lastDuration * 3 : MinimumFreshness;
        if (_snapshot is { } fresh && timeProvider.GetUtcNow() - fresh.GeneratedAt < freshness)
        {
            return fresh;
        }

        if (_computing is null || _computing.IsCompleted)
        {
            _computing = ComputeAsync();
        }

        return _snapshot is { } stale && _lastDuration >= QuickComputation ? stale : await _computing;
    }

    private async Task<ReportSnapshot?> ComputeAsync()
    {
        var started = timeProvider.GetTimestamp();
        var inputs = await ReadInputsAsync(timeProvider.GetUtcNow());
        var snapshot = inputs is null ? null : await Task.Run(() => ReportSnapshot.Build(inputs));
        _lastDuration = timeProvider.GetElapsedTime(started);
        _snapshot = snapshot;
        return snapshot;
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
