using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Follow-ups (再送): at each configured delay after the send started, the households that have not confirmed get the
/// alert again. Each round is a broadcast of its own (its own shards, ledger rows and progress) whose links confirm
/// the original, so one confirmation from any round counts once for the household.
/// </summary>
public sealed partial class BroadcastGrain
{
    internal const string FollowUpReminder = "follow-up";

    /// <summary>The subject prefix of a re-send, as Japanese school mail marks one.</summary>
    internal const string FollowUpSubjectPrefix = "【再送】";

    public Task<FollowUpSource?> GetFollowUpSourceAsync()
    {
        var s = state.State;
        return Task.FromResult(s.Content is null || s.Submission is null
            ? null
            : new FollowUpSource(s.Submission, s.Content, s.BoardId, s.Shards));
    }

    public async Task<int> StartFollowUpAsync(string parentId, int round)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentId);
        if (state.State.Submission is not null)
        {
            return state.State.RecipientCount; // started before (the parent asks again after a crash)
        }

        var parent = GrainFactory.GetGrain<IBroadcastGrain>(parentId);
        if (await parent.GetFollowUpSourceAsync() is not { } source)
        {
            return 0;
        }

        var unconfirmed = await UnconfirmedAsync(parentId, source);
        var plan = AudiencePlan.Build(unconfirmed, deliveryOptions.Value.ShardSize);
        if (plan.RecipientCount == 0)
        {
            return 0;
        }

        state.State.Submission = source.Submission with
        {
            Subject = FollowUpSubjectPrefix + source.Submission.Subject,
            SendAt = null,
            FollowUpDelays = null,
            Submitter = BroadcastActor.System,
            RequestHash = $"follow-up {parentId} {round}",
        };
        state.State.FollowUpOf = parentId;
        var content = source.Content with
        {
            BroadcastId = BroadcastId,
            Subject = FollowUpSubjectPrefix + source.Content.Subject,
            AcceptedAt = timeProvider.GetUtcNow(),
            RequestsConfirmation = true,
            ConfirmsBroadcastId = source.Content.ConfirmationTarget,
        };
        var scope = new BroadcastScope(source.BoardId, source.Content.SenderAddress, source.Content.SenderName, unconfirmed);
        await StartSendingAsync(scope, plan, content);
        return plan.RecipientCount;
    }

    /// <summary>Registers the reminder for the next follow-up round, or removes it when every round has run.</summary>
    private async Task ScheduleFollowUpAsync()
    {
        var s = state.State;
        if (s.Submission?.FollowUpDelays is not { Count: > 0 } delays || s.StartedAt is not { } started || s.FollowUpRounds >= delays.Count)
        {
            await UnregisterAsync(FollowUpReminder);
            return;
        }

        var due = started + delays[s.FollowUpRounds] - timeProvider.GetUtcNow();
        await this.RegisterOrUpdateReminder(FollowUpReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, ScheduleCheckPeriod);
    }

    private async Task FollowUpIfDueAsync()
    {
        var s = state.State;
        if (s.Status == BroadcastStatus.Cancelled || s.Submission?.FollowUpDelays is not { } delays || s.StartedAt is not { } started
            || s.FollowUpRounds >= delays.Count)
        {
            await UnregisterAsync(FollowUpReminder);
            return;
        }

        if (timeProvider.GetUtcNow() < started + delays[s.FollowUpRounds] - TimeSpan.FromSeconds(1))
        {
            return;
        }

        var round = s.FollowUpRounds + 1;
        var childId = Ids.BroadcastId($"follow-up/{BroadcastId}", round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var recipients = await GrainFactory.GetGrain<IBroadcastGrain>(childId).StartFollowUpAsync(BroadcastId, round);

        // Counted only once the round has started: a crash before asks the (idempotent) round again.
        s.FollowUpRounds = round;
        if (recipients > 0)
        {
            s.FollowUpIds.Add(childId);
        }

        await state.WriteStateAsync();
        await AuditAsync(BroadcastActor.System, "broadcast.follow-up",
            recipients > 0 ? $"round {round}: {recipients} addresses of unconfirmed households ({childId})" : $"round {round}: every reached household had confirmed");
        await IndexAsync();
        await ScheduleFollowUpAsync();
    }

    /// <summary>
    /// The addresses to re-send to, per school of the original: delivered (the ledger has them as sent) to a household
    /// that has not confirmed. Bounced addresses are not tried again, and deferred ones are still being retried by
    /// the original.
    /// </summary>
    private async Task<List<(string SchoolId, string SenderAddress, string SenderName, IReadOnlyList<Recipient> Audience)>> UnconfirmedAsync(
        string parentId, FollowUpSource source)
    {
        var confirmed = (await confirmations.ReadAsync(source.Content.ConfirmationTarget, CancellationToken.None))
            .Select(c => c.Household).ToHashSet(StringComparer.Ordinal);
        var delivered = (await ledger.ReadAsync(parentId, CancellationToken.None))
            .Where(o => o.Status == DeliveryStatus.Sent).Select(o => o.RecipientKey).ToHashSet(StringComparer.Ordinal);
        var audience = await audienceStore.LoadAllAsync(parentId, CancellationToken.None);
        var bySchool = new Dictionary<string, (string Sender, string Name, List<Recipient> Recipients)>(StringComparer.Ordinal);
        for (var shard = 0; shard < audience.Count && shard < source.Shards.Count; shard++)
        {
            var plan = source.Shards[shard];
            if (!bySchool.TryGetValue(plan.SchoolId, out var school))
            {
                school = bySchool[plan.SchoolId] = (plan.SenderAddress, plan.SenderName, []);
            }

            school.Recipients.AddRange(audience[shard].Where(r => delivered.Contains(r.Key) && !confirmed.Contains(Ids.HouseholdOf(r.Key))));
        }

        return [.. bySchool.Select(s => (s.Key, s.Value.Sender, s.Value.Name, (IReadOnlyList<Recipient>)s.Value.Recipients))];
    }
}
