using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Owns one broadcast. Submission commits in this order: watchdog reminder, the frozen audience (one bulk write),
/// broadcast state; only then is the caller told "accepted". A crash at any point before leaves nothing that sends
/// (the reminder finds no state and removes itself); a crash after is resumed by the reminder.
/// </summary>
public sealed partial class BroadcastGrain(
    [PersistentState("broadcast", StorageNames.State)] IPersistentState<BroadcastState> state,
    IAudienceStore audienceStore,
    IClusterMembershipService membership,
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
    /// How often this activation asks its started shards again. A shard lost with its silo restarts elsewhere as soon
    /// as the cluster has declared that silo dead, instead of at the next watchdog tick (a minute).
    /// </summary>
    private static readonly TimeSpan NudgePeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A broadcast that wakes up mid-send (its old silo died; a shard's report or the watchdog woke it here) starts
    /// nudging its shards at once, rather than after the next watchdog tick.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Submission is not null && state.State.Status != BroadcastStatus.Completed)
        {
            EnsureNudging();
        }

        return Task.CompletedTask;
    }

    public async Task<SubmitResult> SubmitAsync(BroadcastSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (state.State.Submission is { } existing)
        {
            var outcome = existing.RequestHash == submission.RequestHash
                ? SubmitOutcome.AlreadyAccepted
                : SubmitOutcome.KeyReusedWithOtherContent;
            return new SubmitResult(outcome, View());
        }

        var scope = await BroadcastScope.ResolveAsync(GrainFactory, submission);
        if (scope is null)
        {
            return new SubmitResult(SubmitOutcome.UnknownSchool, null);
        }

        var plan = AudiencePlan.Build(scope.Schools, deliveryOptions.Value.ShardSize);
        if (plan.RecipientCount == 0)
        {
            return new SubmitResult(SubmitOutcome.NoRecipients, null);
        }

        var broadcastId = this.GetPrimaryKeyString();
        await this.RegisterOrUpdateReminder(WatchdogReminder, WatchdogPeriod, WatchdogPeriod);
        await audienceStore.SaveAsync(broadcastId, plan.Recipients, CancellationToken.None);

        state.State.Submission = submission;
        state.State.BoardId = scope.BoardId;
        state.State.Content = new BroadcastContent(
            broadcastId, scope.SenderAddress, scope.SenderName, submission.Subject, submission.Body,
            submission.Category, submission.SubmittedAt, submission.SchoolId, submission.RequestsConfirmation);
        state.State.RecipientCount = plan.RecipientCount;
        state.State.ShardCount = plan.Shards.Count;
        state.State.Shards = [.. plan.Shards];
        state.State.RecipientsByCarrier = plan.RecipientsByCarrier;
        state.State.Status = BroadcastStatus.Accepted;
        await state.WriteStateAsync();
        LogAccepted(logger, broadcastId, submission.SchoolId ?? submission.BoardId, plan.RecipientCount, plan.Shards.Count);

        // Start sending after this call returns, so the caller's 202 is not held up by the fan-out.
        this.RegisterGrainTimer(DispatchAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return new SubmitResult(SubmitOutcome.Accepted, View());
    }

    public Task<BroadcastView?> GetAsync() => Task.FromResult(View());

    public Task<BroadcastContent?> GetShardContentAsync(int shardIndex)
    {
        var s = state.State;
        if (s.Content is null || shardIndex < 0 || shardIndex >= s.Shards.Count)
        {
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
        if (state.State.ShardCounts.Count >= state.State.ShardCount)
        {
            state.State.Status = BroadcastStatus.Completed;
            state.State.CompletedAt = timeProvider.GetUtcNow();
            await FlushReportsAsync(CancellationToken.None);
            return;
        }

        // A lost report is not lost work: the shard keeps its final tallies and the watchdog asks again.
        _reportsDirty = true;
        _flushTimer ??= this.RegisterGrainTimer(FlushReportsAsync, ReportFlushPeriod, ReportFlushPeriod);
        await StartShardsAsync(restartStarted: false);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WatchdogReminder)
        {
            return;
        }

        if (state.State.Submission is null || state.State.Status == BroadcastStatus.Completed)
        {
            await UnregisterWatchdogAsync();
            return;
        }

        await DispatchAsync(CancellationToken.None);
    }

    private async Task FlushReportsAsync(CancellationToken cancellationToken)
    {
        var completed = state.State.Status == BroadcastStatus.Completed;
        if (_reportsDirty || completed)
        {
            _reportsDirty = false;
            await state.WriteStateAsync();
        }

        if (completed)
        {
            _flushTimer?.Dispose();
            _flushTimer = null;
            _nudgeTimer?.Dispose();
            _nudgeTimer = null;
            await UnregisterWatchdogAsync();
        }
    }

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        EnsureNudging();
        await StartShardsAsync(restartStarted: true);
        if (state.State.Status == BroadcastStatus.Accepted)
        {
            state.State.Status = BroadcastStatus.Sending;
            await state.WriteStateAsync();
        }
    }

    // Interleaved: a call to a shard on a dead silo may hang until it times out, and reports must not wait for it.
    private void EnsureNudging() =>
        _nudgeTimer ??= this.RegisterGrainTimer(NudgeAsync, new GrainTimerCreationOptions(NudgePeriod, NudgePeriod) { Interleave = true });

    private async Task NudgeAsync(CancellationToken cancellationToken)
    {
        if (state.State.Status == BroadcastStatus.Completed)
        {
            return;
        }

        try
        {
            await StartShardsAsync(restartStarted: true);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansException)
        {
            // A silo is going away; the next nudge, or the watchdog, tries again.
            LogNudgeFailed(logger, this.GetPrimaryKeyString(), ex.GetType().Name);
        }
    }

    /// <summary>
    /// Keeps <see cref="DeliveryOptions.ShardsInFlightPerSilo"/> shards per active silo sending. With <paramref name="restartStarted"/> (the
    /// first dispatch and every watchdog tick) the started ones are asked again too: a running shard ignores it, one
    /// lost with its silo starts afresh on another and skips whoever the ledger has as sent.
    /// </summary>
    private async Task StartShardsAsync(bool restartStarted)
    {
        var broadcastId = this.GetPrimaryKeyString();
        var unfinished = Enumerable.Range(0, state.State.ShardCount).Where(i => !state.State.ShardCounts.ContainsKey(i)).ToList();
        var again = restartStarted ? unfinished.Where(_started.Contains).ToList() : [];
        var silos = Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
        var window = deliveryOptions.Value.ShardsInFlightPerSilo * silos;
        var room = Math.Max(0, window - _started.Count(i => !state.State.ShardCounts.ContainsKey(i)));
        var next = unfinished.Where(i => !_started.Contains(i)).Take(room).ToList();
        _started.UnionWith(next);
        await Task.WhenAll(again.Concat(next).Select(i =>
            GrainFactory.GetGrain<IDeliveryShardGrain>(Ids.ShardKey(broadcastId, i)).StartAsync(broadcastId, i)));
    }

    private async Task UnregisterWatchdogAsync()
    {
        var reminder = await this.GetReminder(WatchdogReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcast {BroadcastId}: restarting shards failed ({Kind}); retrying")]
    private static partial void LogNudgeFailed(ILogger logger, string broadcastId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId} of {Scope} accepted: {Recipients} recipients in {Shards} shards")]
    private static partial void LogAccepted(ILogger logger, string broadcastId, string? scope, int recipients, int shards);
}
