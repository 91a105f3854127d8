using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Telemetry;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Owns one broadcast. A send commits in this order: watchdog reminder, the frozen audience (one bulk write),
/// broadcast state; only then is the caller told "accepted". A crash at any point before leaves nothing that sends
/// (the reminder finds no state and removes itself); a crash after is resumed by the reminder.
/// Drafts and scheduled sends (BroadcastGrain.Lifecycle.cs) store the submission only and freeze their audience
/// when they start, so guardians who register in between are reached.
/// </summary>
public sealed partial class BroadcastGrain(
    [PersistentState("broadcast", StorageNames.State)] IPersistentState<BroadcastState> state,
    IAudienceStore audienceStore,
    IDeliveryLedger ledger,
    IConfirmationStore confirmations,
    IAuditLog audit,
    BroadcastNotices notices,
    IClusterMembershipService membership,
    PtaMetrics metrics,
    IOptions<DeliveryOptions> deliveryOptions,
    TimeProvider timeProvider,
    ILogger<BroadcastGrain> logger) : Grain, IBroadcastGrain, IRemindable
{
    /// <summary>Re-dispatches unfinished shards after a silo failure; removed when the broadcast completes.</summary>
    internal const string WatchdogReminder = "dispatch-watchdog";
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often shard reports are written: one write per second, not one per shard (2,000 for a city).</summary>
    private static readonly TimeSpan ReportFlushPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Live tallies of shards still sending; not persisted (the ledger has the outcomes).</summary>
    private readonly Dictionary<int, ShardReport> _live = [];
    /// <summary>Shards this activation started that have not reported their end.</summary>
    private readonly HashSet<int> _started = [];
    private bool _reportsDirty;
    private IGrainTimer? _flushTimer;
    private IGrainTimer? _nudgeTimer;

    /// <summary>
    /// How often this activation asks its started shards again. A shard lost with its silo restarts elsewhere as soon as
    /// the cluster has declared that silo dead, and a start that failed while the cluster was changing (a new shard
    /// placed on a silo that had just died) is made again, within this period. 2 s, not the 10 s it was: in
    /// benchmarks/chaos.sh the shards of a window finish together, and the next window's starts that failed around a
    /// kill left the whole cluster idle until the next nudge (5.9 s of no acceptance after a kill). A nudge costs one
    /// call per started shard (a window, 24 with 3 silos), which a running shard ignores.
    /// </summary>
    private static readonly TimeSpan NudgePeriod = TimeSpan.FromSeconds(2);

    private string BroadcastId => this.GetPrimaryKeyString();

    private bool IsSending => state.State.Status is BroadcastStatus.Accepted or BroadcastStatus.Sending;

    /// <summary>
    /// A broadcast that wakes up mid-send (its old silo died; a shard's report or the watchdog woke it here) starts
    /// nudging its shards at once, rather than after the next watchdog tick; a scheduled one whose time has come
    /// (its silo was down at the time) starts now.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Submission is not null && IsSending)
        {
            // At once, not after a nudge period: mostly this is a restart because the old activation's silo died,
            // and that silo's shards have been waiting since (the call that woke it here could reach a new activation,
            // so the cluster has already declared that silo dead).
            EnsureNudging(TimeSpan.Zero);
        }
        else if (state.State.Status == BroadcastStatus.Scheduled && IsDue())
        {
            this.RegisterGrainTimer(_ => StartIfDueAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public async Task<SubmitResult> SubmitAsync(BroadcastSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        using var span = PtaActivities.Source.StartActivity("broadcast.submit");
        span?.SetTag("pta.broadcast.id", BroadcastId);
        span?.SetTag("pta.category", submission.Category.ToString());
        if (state.State.Submission is { } existing)
        {
            var outcome = existing.RequestHash == submission.RequestHash
                ? SubmitOutcome.AlreadyAccepted
                : SubmitOutcome.KeyReusedWithOtherContent;
            return new SubmitResult(outcome, View());
        }

        // Resolved now also for drafts and scheduled sends, so the caller hears at once of an unknown school, an
        // empty audience or a single guardian; they resolve again when they start.
        var (refusal, scope, plan) = await PlanAsync(submission);
        if (refusal is { } refused)
        {
            return new SubmitResult(refused, null);
        }

        var submitter = submission.Submitter ?? BroadcastActor.System;
        state.State.Submission = submission;
        state.State.BoardId = scope!.BoardId;
        await AuditAsync(submitter, "broadcast.submitted",
            $"{submission.Category}; {plan!.RecipientCount} recipients at submission" + (submission.SendAt is { } at ? $"; send at {at:O}" : ""));
        if (submission.HoldForApproval || (submitter.NeedsApproval && !submission.IsUrgent))
        {
            state.State.Status = BroadcastStatus.AwaitingApproval;
            await state.WriteStateAsync();
            await IndexAsync();
            return new SubmitResult(SubmitOutcome.Accepted, View());
        }

        if (submission.SendAt is { } sendAt && sendAt > timeProvider.GetUtcNow())
        {
            await ScheduleAsync(sendAt);
            return new SubmitResult(SubmitOutcome.Accepted, View());
        }

        await StartSendingAsync(scope, plan);
        if (submitter.NeedsApproval)
        {
            await ReportUrgentSendAsync(submitter);
        }

        return new SubmitResult(SubmitOutcome.Accepted, View());
    }

    public Task<BroadcastView?> GetAsync() => Task.FromResult(View());

    public Task<BroadcastText?> GetTextAsync() =>
        Task.FromResult(state.State.Submission is { } s ? new BroadcastText(s.Subject, s.Body, s.Category, s.Audience) : null);

    public Task<BroadcastContent?> GetShardContentAsync(int shardIndex)
    {
        var s = state.State;
        if (s.Content is null || !IsSending && s.Status != BroadcastStatus.Completed || shardIndex < 0 || shardIndex >= s.Shards.Count)
        {
            // Not (or no longer) sending: a cancelled broadcast's late shard starts send nothing.
            return Task.FromResult<BroadcastContent?>(null);
        }

        var plan = s.Shards[shardIndex];
        return Task.FromResult<BroadcastContent?>(s.Content with
        {
            SenderAddress = plan.SenderAddress,
            SenderName = plan.SenderName,
            SchoolId = plan.SchoolId,
        });
    }

    public async Task ReportShardAsync(ShardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (state.State.Submission is null || state.State.ShardCounts.ContainsKey(report.ShardIndex) && !report.Final)
        {
            return;
        }

        if (!report.Final)
        {
            _live[report.ShardIndex] = report;
            return;
        }

        _live.Remove(report.ShardIndex);
        _started.Remove(report.ShardIndex);
        if (state.State.ShardCounts.TryGetValue(report.ShardIndex, out var known) && known == report.Counts)
        {
            return;
        }

        state.State.ShardCounts[report.ShardIndex] = report.Counts;
        state.State.ShardCarrierCounts[report.ShardIndex] = report.ByCarrier is null ? [] : new(report.ByCarrier);
        if (state.State.Status == BroadcastStatus.Cancelled)
        {
            // What a cancelled broadcast's shards sent before they stopped still counts.
            _reportsDirty = true;
            _flushTimer ??= this.RegisterGrainTimer(FlushReportsAsync, ReportFlushPeriod, ReportFlushPeriod);
            return;
        }

        if (state.State.ShardCounts.Count >= state.State.ShardCount)
        {
            state.State.Status = BroadcastStatus.Completed;
            state.State.CompletedAt = timeProvider.GetUtcNow();
            if (state.State.Content is { } content)
            {
                metrics.FanoutFinished(content.Category, state.State.CompletedAt.Value - content.AcceptedAt);
            }

            await FlushReportsAsync(CancellationToken.None);
            await IndexAsync();
            await AuditAsync(BroadcastActor.System, "broadcast.completed", CountsDetail());
            return;
        }

        // A lost report is not lost work: the shard keeps its final tallies and the watchdog asks again.
        _reportsDirty = true;
        _flushTimer ??= this.RegisterGrainTimer(FlushReportsAsync, ReportFlushPeriod, ReportFlushPeriod);

        // Not awaited: placing a new shard waits while the cluster declares a dead silo dead (seconds), and this
        // grain must go on taking reports meanwhile (awaited, every report queued behind it and timed out after 30 s
        // in benchmarks/chaos.sh). A start that fails is made again by the next nudge.
        _ = StartNextShardsAsync();
    }

    private async Task StartNextShardsAsync()
    {
        try
        {
            await StartShardsAsync(restartStarted: false);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or OperationCanceledException)
        {
            LogNudgeFailed(logger, BroadcastId, ex.GetType().Name);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case WatchdogReminder when state.State.Submission is null || !IsSending:
                await UnregisterAsync(WatchdogReminder);
                break;
            case WatchdogReminder:
                await DispatchAsync(CancellationToken.None);
                break;
            case ScheduleReminder:
                await StartIfDueAsync();
                break;
            case FollowUpReminder:
                await FollowUpIfDueAsync();
                break;
        }
    }

    /// <summary>
    /// Resolves the audience and cuts it into shards; a refusal instead when the scope is unknown, nobody is in the
    /// audience, or only one guardian is (mail to one person is prohibited use, seed 001 §8).
    /// </summary>
    private async Task<(SubmitOutcome? Refusal, BroadcastScope? Scope, AudiencePlan? Plan)> PlanAsync(BroadcastSubmission submission)
    {
        var scope = await BroadcastScope.ResolveAsync(GrainFactory, submission);
        if (scope is null)
        {
            return (SubmitOutcome.UnknownSchool, null, null);
        }

        var plan = AudiencePlan.Build(scope.Schools, deliveryOptions.Value.ShardSize);
        return plan.RecipientCount == 0 ? (SubmitOutcome.NoRecipients, null, null)
            : plan.HasSingleHousehold() ? (SubmitOutcome.SingleGuardian, null, null)
            : (null, scope, plan);
    }

    /// <summary>Freezes the audience and starts sending: the commit order in the class summary.</summary>
    private async Task StartSendingAsync(BroadcastScope scope, AudiencePlan plan, BroadcastContent? content = null)
    {
        var submission = state.State.Submission!;
        var now = timeProvider.GetUtcNow();
        await this.RegisterOrUpdateReminder(WatchdogReminder, WatchdogPeriod, WatchdogPeriod);
        await audienceStore.SaveAsync(BroadcastId, plan.Recipients, CancellationToken.None);

        state.State.BoardId = scope.BoardId;
        state.State.Content = content ?? new BroadcastContent(
            BroadcastId, scope.SenderAddress, scope.SenderName, submission.Subject, submission.Body,
            submission.Category, now, submission.SchoolId, submission.RequestsConfirmation);
        state.State.RecipientCount = plan.RecipientCount;
        state.State.ShardCount = plan.Shards.Count;
        state.State.Shards = [.. plan.Shards];
        state.State.RecipientsByCarrier = plan.RecipientsByCarrier;
        state.State.Status = BroadcastStatus.Accepted;
        state.State.StartedAt = now;
        await state.WriteStateAsync();
        LogAccepted(logger, BroadcastId, submission.SchoolId ?? submission.BoardId, plan.RecipientCount, plan.Shards.Count);
        await AuditAsync(BroadcastActor.System, "broadcast.sending", $"{plan.RecipientCount} recipients in {plan.Shards.Count} shards");
        await ScheduleFollowUpAsync();
        await IndexAsync();

        // Start sending after this call returns, so the caller's 202 is not held up by the fan-out.
        this.RegisterGrainTimer(DispatchAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private async Task FlushReportsAsync(CancellationToken cancellationToken)
    {
        var finished = !IsSending;
        if (_reportsDirty || finished)
        {
            _reportsDirty = false;
            await state.WriteStateAsync();
        }

        if (finished)
        {
            StopTimers();
            await UnregisterAsync(WatchdogReminder);
        }
    }

    private void StopTimers()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        _nudgeTimer?.Dispose();
        _nudgeTimer = null;
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        if (!IsSending)
        {
            return;
        }

        EnsureNudging();
        await StartShardsAsync(restartStarted: true);
        if (state.State.Status == BroadcastStatus.Accepted)
        {
            state.State.Status = BroadcastStatus.Sending;
            await state.WriteStateAsync();
            await IndexAsync();
        }
    }

    // Interleaved: a call to a shard on a dead silo may hang until it times out, and reports must not wait for it.
    private void EnsureNudging(TimeSpan? firstAfter = null) =>
        _nudgeTimer ??= this.RegisterGrainTimer(NudgeAsync, new GrainTimerCreationOptions(firstAfter ?? NudgePeriod, NudgePeriod) { Interleave = true });

    private async Task NudgeAsync(CancellationToken cancellationToken)
    {
        if (!IsSending)
        {
            return;
        }

        try
        {
            await StartShardsAsync(restartStarted: true);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or OperationCanceledException)
        {
            // A silo is going away (or a placement expired while it did); the next nudge, or the watchdog, tries again.
            LogNudgeFailed(logger, BroadcastId, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Keeps <see cref="DeliveryOptions.ShardsInFlightPerSilo"/> shards per active silo sending. With <paramref name="restartStarted"/> (the
    /// first dispatch and every watchdog tick) the started ones are asked again too: a running shard ignores it, one
    /// lost with its silo starts afresh on another and skips whoever the ledger has as sent.
    /// </summary>
    private async Task StartShardsAsync(bool restartStarted)
    {
        if (!IsSending)
        {
            return;
        }

        var unfinished = Enumerable.Range(0, state.State.ShardCount).Where(i => !state.State.ShardCounts.ContainsKey(i)).ToList();
        var again = restartStarted ? unfinished.Where(_started.Contains).ToList() : [];
        var room = Math.Max(0, ShardWindow() - _started.Count(i => !state.State.ShardCounts.ContainsKey(i)));
        var next = unfinished.Where(i => !_started.Contains(i)).Take(room).ToList();
        _started.UnionWith(next);
        await Task.WhenAll(again.Concat(next).Select(i =>
            GrainFactory.GetGrain<IDeliveryShardGrain>(Ids.ShardKey(BroadcastId, i)).StartAsync(BroadcastId, i)));
    }

    /// <summary>How many shards send at once: <see cref="DeliveryOptions.ShardsInFlightPerSilo"/> per active silo.</summary>
    private int ShardWindow() =>
        deliveryOptions.Value.ShardsInFlightPerSilo * Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));

    private async Task UnregisterAsync(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private string CountsDetail()
    {
        var totals = View()?.Counts ?? BroadcastCounts.Zero;
        return $"{totals.Recipients} recipients: {totals.Sent} sent, {totals.Deferred} deferred, {totals.Failed} failed";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcast {BroadcastId}: restarting shards failed ({Kind}); retrying")]
    private static partial void LogNudgeFailed(ILogger logger, string broadcastId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId} of {Scope} accepted: {Recipients} recipients in {Shards} shards")]
    private static partial void LogAccepted(ILogger logger, string broadcastId, string? scope, int recipients, int shards);
}
