using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>What the API shows of a broadcast: the summary view and live progress per school and carrier.</summary>
public sealed partial class BroadcastGrain
{
    public Task<BroadcastProgress?> GetProgressAsync()
    {
        var s = state.State;
        if (s.Submission is null)
        {
            return Task.FromResult<BroadcastProgress?>(null);
        }

        var reports = CurrentReports().ToDictionary(r => r.ShardIndex); // 2,000 shards for a city: look up, do not scan
        var bySchool = s.Shards
            .GroupBy(p => p.SchoolId, StringComparer.Ordinal)
            .Select(school => new SchoolProgress(
                school.Key,
                school.Select(p => reports.GetValueOrDefault(p.Index)?.Counts ?? BroadcastCounts.Zero)
                    .Aggregate(BroadcastCounts.Zero, (sum, c) => sum.Add(c)) with { Recipients = school.Sum(p => p.Recipients) }))
            .OrderBy(p => p.SchoolId, StringComparer.Ordinal)
            .ToList();
        var byCarrier = s.RecipientsByCarrier.Keys
            .Select(carrier => new CarrierProgress(
                carrier,
                reports.Values.Select(r => r.ByCarrier?.GetValueOrDefault(carrier) ?? BroadcastCounts.Zero)
                    .Aggregate(BroadcastCounts.Zero, (sum, c) => sum.Add(c)) with { Recipients = s.RecipientsByCarrier[carrier] }))
            .OrderBy(p => p.Carrier)
            .ToList();
        return Task.FromResult<BroadcastProgress?>(new BroadcastProgress(this.GetPrimaryKeyString(), s.Status, Totals(reports.Values), bySchool, byCarrier));
    }

    private BroadcastView? View()
    {
        var s = state.State;
        if (s.Submission is not { } submission)
        {
            return null;
        }

        // Before it starts (a draft, a scheduled send) a board broadcast names the schools it was asked for; after,
        // those it went to.
        var schoolIds = submission.BoardId is null ? null
            : s.Shards.Count > 0 ? s.Shards.Select(p => p.SchoolId).Distinct(StringComparer.Ordinal).ToList()
            : submission.SchoolIds;
        return new BroadcastView(
            this.GetPrimaryKeyString(), submission.SchoolId, s.BoardId, s.Content?.Subject ?? submission.Subject, submission.Category, s.Status,
            Totals(CurrentReports()), submission.SubmittedAt, s.CompletedAt, submission.PtaId, schoolIds,
            submission.SendAt, submission.Submitter?.Label, s.ApprovedBy, s.SentWithoutApproval, submission.RequestsConfirmation,
            s.FollowUpIds.Count > 0 ? [.. s.FollowUpIds] : null, s.FollowUpOf, s.Note);
    }

    private BroadcastCounts Totals(IEnumerable<ShardReport> reports) =>
        reports.Aggregate(BroadcastCounts.Zero, (sum, r) => sum.Add(r.Counts)) with { Recipients = state.State.RecipientCount };

    /// <summary>Every shard's latest tallies: final ones from state, live ones from shards still sending.</summary>
    private IEnumerable<ShardReport> CurrentReports()
    {
        foreach (var (index, counts) in state.State.ShardCounts)
        {
            state.State.ShardCarrierCounts.TryGetValue(index, out var byCarrier);
            yield return new ShardReport(index, counts, byCarrier);
        }

        foreach (var (index, report) in _live)
        {
            if (!state.State.ShardCounts.ContainsKey(index))
            {
                yield return report;
            }
        }
    }
}
