using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Approval, schedule, changes and cancellation (seed 001 §5: the operator drafts, the principal approves; in an
/// emergency the operator sends first and reports after). Every step goes to the audit trail with who, what and
/// from where.
/// </summary>
public sealed partial class BroadcastGrain
{
    /// <summary>
    /// Fires at the send time. A reminder, stored in PostgreSQL with the broadcast, so a send time passes a silo
    /// restart: the silo that owns the reminder after the restart fires it (late by at most one period when the
    /// cluster was down at the time).
    /// </summary>
    internal const string ScheduleReminder = "scheduled-send";

    /// <summary>The reminder's period after its first tick: Orleans' minimum, and what "to the minute" allows.</summary>
    private static readonly TimeSpan ScheduleCheckPeriod = TimeSpan.FromMinutes(1);

    public async Task<LifecycleResult> ApproveAsync(BroadcastActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Check(actor, mustApprove: true, BroadcastStatus.AwaitingApproval) is { } refusal)
        {
            return refusal;
        }

        state.State.ApprovedBy = actor.Label;
        await AuditAsync(actor, "broadcast.approved", null);
        if (state.State.Submission!.SendAt is { } at && at > timeProvider.GetUtcNow())
        {
            await ScheduleAsync(at);
        }
        else
        {
            await StartOrEndAsync();
        }

        return Done();
    }

    public async Task<LifecycleResult> RejectAsync(BroadcastActor actor, string? reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Check(actor, mustApprove: true, BroadcastStatus.AwaitingApproval) is { } refusal)
        {
            return refusal;
        }

        state.State.Status = BroadcastStatus.Rejected;
        state.State.Note = reason;
        await state.WriteStateAsync();
        await AuditAsync(actor, "broadcast.rejected", reason);
        await IndexAsync();
        return Done();
    }

    public async Task<LifecycleResult> ChangeAsync(BroadcastActor actor, BroadcastChange change)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(change);
        if (Check(actor, mustApprove: false, BroadcastStatus.AwaitingApproval, BroadcastStatus.Scheduled) is { } refusal)
        {
            return refusal;
        }

        var before = state.State.Submission!;
        var after = before with
        {
            Subject = change.Subject ?? before.Subject,
            Body = change.Body ?? before.Body,
            SendAt = change.SendNow ? null : change.SendAt ?? before.SendAt,
        };
        state.State.Submission = after;
        var textChanged = after.Subject != before.Subject || after.Body != before.Body;
        await AuditAsync(actor, "broadcast.changed",
            (textChanged ? "text changed; " : "") + (after.SendAt is { } at ? $"send at {at:O}" : "send now"));

        // What the principal approved is what goes out: an operator's new text needs approving again.
        if (textChanged && actor.NeedsApproval && state.State.Status == BroadcastStatus.Scheduled)
        {
            await UnregisterAsync(ScheduleReminder);
            state.State.Status = BroadcastStatus.AwaitingApproval;
            state.State.ApprovedBy = null;
        }

        if (state.State.Status == BroadcastStatus.Scheduled)
        {
            if (after.SendAt is { } sendAt && sendAt > timeProvider.GetUtcNow())
            {
                await ScheduleAsync(sendAt);
            }
            else
            {
                await UnregisterAsync(ScheduleReminder);
                await StartOrEndAsync();
            }

            return Done();
        }

        await state.WriteStateAsync();
        await IndexAsync();
        return Done();
    }

    public async Task<LifecycleResult> CancelAsync(BroadcastActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Check(actor, mustApprove: false,
                BroadcastStatus.AwaitingApproval, BroadcastStatus.Scheduled, BroadcastStatus.Accepted, BroadcastStatus.Sending) is { } refusal)
        {
            return refusal;
        }

        var wasSending = IsSending;
        state.State.Status = BroadcastStatus.Cancelled;
        state.State.CompletedAt = timeProvider.GetUtcNow();
        await state.WriteStateAsync();
        StopTimers();
        await UnregisterAsync(ScheduleReminder);
        await UnregisterAsync(FollowUpReminder);
        await UnregisterAsync(WatchdogReminder);
        if (wasSending)
        {
            // Shards stop before their next message; one not yet started finds the broadcast cancelled and sends nothing.
            // Shards start in index order, a window at a time, so the running ones are among the first unfinished
            // (also those an earlier activation of this grain started): no need to wake a city's 2,000 shards.
            var unfinished = Enumerable.Range(0, state.State.ShardCount).Where(i => !state.State.ShardCounts.ContainsKey(i)).ToList();
            var running = unfinished.Where(_started.Contains).Concat(unfinished.Take(ShardWindow())).Distinct();
            await Task.WhenAll(running.Select(i => GrainFactory.GetGrain<IDeliveryShardGrain>(Ids.ShardKey(BroadcastId, i)).CancelAsync()));
        }

        await AuditAsync(actor, "broadcast.cancelled", wasSending ? CountsDetail() : "before sending");
        await IndexAsync();
        return Done();
    }

    public async Task<LifecycleResult> AcknowledgeAsync(BroadcastActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (state.State.Submission is null)
        {
            return new LifecycleResult(LifecycleOutcome.NotFound, null);
        }

        if (!CanApprove(actor))
        {
            return new LifecycleResult(LifecycleOutcome.NotAllowed, View(), "Only the principal (a board administrator for a board broadcast) acknowledges an emergency send.");
        }

        if (!state.State.SentWithoutApproval)
        {
            return new LifecycleResult(LifecycleOutcome.WrongState, View(), "Nothing to acknowledge: this broadcast was not an operator's emergency send.");
        }

        state.State.SentWithoutApproval = false;
        state.State.ApprovedBy = actor.Label;
        await state.WriteStateAsync();
        await AuditAsync(actor, "broadcast.acknowledged", "emergency send seen by the approver");
        await IndexAsync();
        return Done();
    }

    /// <summary>Registers the send-time reminder (first tick at the send time) and records the broadcast as scheduled.</summary>
    private async Task ScheduleAsync(DateTimeOffset sendAt)
    {
        var due = sendAt - timeProvider.GetUtcNow();
        await this.RegisterOrUpdateReminder(ScheduleReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, ScheduleCheckPeriod);
        state.State.Status = BroadcastStatus.Scheduled;
        await state.WriteStateAsync();
        await AuditAsync(BroadcastActor.System, "broadcast.scheduled", $"send at {sendAt:O}");
        await IndexAsync();
    }

    private bool IsDue() => state.State.Submission?.SendAt is not { } at || at <= timeProvider.GetUtcNow() + TimeSpan.FromSeconds(1);

    /// <summary>The schedule reminder's tick (or an activation after the time passed): start when due, else keep waiting.</summary>
    private async Task StartIfDueAsync()
    {
        if (state.State.Status != BroadcastStatus.Scheduled)
        {
            await UnregisterAsync(ScheduleReminder);
            return;
        }

        if (!IsDue())
        {
            return;
        }

        await UnregisterAsync(ScheduleReminder);
        await StartOrEndAsync();
    }

    /// <summary>
    /// Starts an approved or due broadcast with the audience as it is now. When the roster has changed so that nobody,
    /// or only one guardian, is left, it ends as cancelled with the reason instead.
    /// </summary>
    private async Task StartOrEndAsync()
    {
        var (refusal, scope, plan) = await PlanAsync(state.State.Submission!);
        if (refusal is { } refused)
        {
            state.State.Status = BroadcastStatus.Cancelled;
            state.State.CompletedAt = timeProvider.GetUtcNow();
            state.State.Note = refused switch
            {
                SubmitOutcome.SingleGuardian => "Not sent: at send time the audience was a single guardian (mail to one person is not allowed).",
                SubmitOutcome.NoRecipients => "Not sent: at send time nobody in the audience had a broadcast address.",
                _ => "Not sent: the school or board is no longer registered.",
            };
            await state.WriteStateAsync();
            await AuditAsync(BroadcastActor.System, "broadcast.not-sent", state.State.Note);
            await IndexAsync();
            return;
        }

        await StartSendingAsync(scope!, plan!);
    }

    /// <summary>An operator's emergency went out unapproved: the principal hears of it by mail and in the console.</summary>
    private async Task ReportUrgentSendAsync(BroadcastActor submitter)
    {
        state.State.SentWithoutApproval = true;
        await state.WriteStateAsync();
        await AuditAsync(submitter, "broadcast.sent-without-approval", "emergency: sent at once, to be reported to the approver");
        await IndexAsync();
        var informed = await notices.TellApproverAsync(GrainFactory, state.State.Submission!, View()!, submitter);
        await AuditAsync(BroadcastActor.System, "broadcast.approver-informed", informed ?? "no approver address on file; console only");
    }

    /// <summary>Null when <paramref name="actor"/> may act now; otherwise the refusal to answer.</summary>
    private LifecycleResult? Check(BroadcastActor actor, bool mustApprove, params BroadcastStatus[] allowed)
    {
        if (state.State.Submission is null)
        {
            return new LifecycleResult(LifecycleOutcome.NotFound, null);
        }

        if (mustApprove && !CanApprove(actor))
        {
            return new LifecycleResult(LifecycleOutcome.NotAllowed, View(),
                "Only the principal (a board administrator for a board broadcast) approves or rejects.");
        }

        return allowed.Contains(state.State.Status)
            ? null
            : new LifecycleResult(LifecycleOutcome.WrongState, View(), $"Not possible while the broadcast is {state.State.Status}.");
    }

    /// <summary>School and PTA broadcasts are approved by the school's principal; board broadcasts by a board administrator.</summary>
    private bool CanApprove(BroadcastActor actor) =>
        state.State.Submission!.BoardId is null ? actor.Role == CredentialRole.School : actor.Role == CredentialRole.Board;

    private LifecycleResult Done() => new(LifecycleOutcome.Done, View());

    private Task AuditAsync(BroadcastActor actor, string action, string? detail) =>
        audit.RecordAsync(new AuditEntry(timeProvider.GetUtcNow(), $"{actor.KeyId} ({actor.Label})", action, BroadcastId, detail, actor.Origin));

    /// <summary>The consoles' lists: the school's (school and PTA broadcasts) or the board's.</summary>
    private Task IndexAsync()
    {
        var view = View();
        if (view is null)
        {
            return Task.CompletedTask;
        }

        var key = view.SchoolId is { } schoolId ? BroadcastIndexGrain.SchoolKey(schoolId) : BroadcastIndexGrain.BoardKey(view.BoardId);
        return GrainFactory.GetGrain<IBroadcastIndexGrain>(key).UpsertAsync(view);
    }
}
