using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Owns one broadcast. Submission commits in this order: watchdog reminder, shard recipient lists,
/// broadcast state; only then is the caller told "accepted". A crash at any point before leaves nothing
/// that sends (the reminder finds no state and removes itself); a crash after is resumed by the reminder.
/// </summary>
public sealed partial class BroadcastGrain(
    [PersistentState("broadcast", StorageNames.State)] IPersistentState<BroadcastState> state,
    IOptions<DeliveryOptions> deliveryOptions,
    TimeProvider timeProvider,
    ILogger<BroadcastGrain> logger) : Grain, IBroadcastGrain, IRemindable
{
    /// <summary>Re-dispatches unfinished shards after a silo failure; removed when the broadcast completes.</summary>
    internal const string WatchdogReminder = "dispatch-watchdog";
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromMinutes(1);

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

        var school = GrainFactory.GetGrain<ISchoolGrain>(submission.SchoolId);
        var profile = await school.GetProfileAsync();
        if (profile is null)
        {
            return new SubmitResult(SubmitOutcome.UnknownSchool, null);
        }

        var (sender, recipients) = await SenderAndRecipientsAsync(submission, profile);
        if (sender is null)
        {
            return new SubmitResult(SubmitOutcome.UnknownSchool, null);
        }

        if (recipients.Count == 0)
        {
            return new SubmitResult(SubmitOutcome.NoRecipients, null);
        }

        var broadcastId = this.GetPrimaryKeyString();
        await this.RegisterOrUpdateReminder(WatchdogReminder, WatchdogPeriod, WatchdogPeriod);
        var shards = recipients.Chunk(deliveryOptions.Value.ShardSize).ToArray();
        await Task.WhenAll(shards.Select((chunk, index) =>
            GrainFactory.GetGrain<IDeliveryShardGrain>(Ids.ShardKey(broadcastId, index)).AssignAsync(broadcastId, index, chunk)));

        state.State.Submission = submission;
        state.State.BoardId = profile.BoardId;
        state.State.Content = new BroadcastContent(
            broadcastId, sender.Value.Address, sender.Value.Name, submission.Subject, submission.Body,
            submission.Category, submission.SubmittedAt, submission.SchoolId);
        state.State.RecipientCount = recipients.Count;
        state.State.ShardCount = shards.Length;
        state.State.Status = BroadcastStatus.Accepted;
        await state.WriteStateAsync();
        LogAccepted(logger, broadcastId, submission.SchoolId, recipients.Count, shards.Length);

        // Start sending after this call returns, so the caller's 202 is not held up by the fan-out.
        this.RegisterGrainTimer(DispatchAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return new SubmitResult(SubmitOutcome.Accepted, View());
    }

    public Task<BroadcastView?> GetAsync() => Task.FromResult(View());

    /// <summary>
    /// Who sends and who receives: the school and its audience, or, for a PTA broadcast, the PTA's own sender
    /// and its opted-in members only. A null sender means the PTA is unknown or not this school's.
    /// </summary>
    private async Task<((string Address, string Name)? Sender, IReadOnlyList<Recipient> Recipients)> SenderAndRecipientsAsync(
        BroadcastSubmission submission, SchoolProfile school)
    {
        if (submission.PtaId is null)
        {
            var recipients = await GrainFactory.GetGrain<ISchoolGrain>(submission.SchoolId).ResolveAudienceAsync(submission.Audience);
            return ((school.SenderAddress, school.SenderName), recipients);
        }

        var pta = GrainFactory.GetGrain<IPtaGrain>(submission.PtaId);
        if (await pta.GetProfileAsync() is not { } profile || profile.SchoolId != school.SchoolId)
        {
            return (null, []);
        }

        return ((profile.SenderAddress, profile.SenderName), await pta.ResolveAudienceAsync());
    }

    public Task<BroadcastContent?> GetContentAsync() => Task.FromResult(state.State.Content);

    public async Task ReportShardAsync(ShardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (state.State.Submission is null || state.State.ShardCounts.TryGetValue(report.ShardIndex, out var known) && known == report.Counts)
        {
            return;
        }

        state.State.ShardCounts[report.ShardIndex] = report.Counts;
        if (state.State.ShardCounts.Count >= state.State.ShardCount)
        {
            state.State.Status = BroadcastStatus.Completed;
            state.State.CompletedAt = timeProvider.GetUtcNow();
        }

        await state.WriteStateAsync();
        if (state.State.Status == BroadcastStatus.Completed)
        {
            await UnregisterWatchdogAsync();
        }
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

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        var broadcastId = this.GetPrimaryKeyString();
        var unfinished = Enumerable.Range(0, state.State.ShardCount).Where(i => !state.State.ShardCounts.ContainsKey(i));
        await Task.WhenAll(unfinished.Select(i =>
            GrainFactory.GetGrain<IDeliveryShardGrain>(Ids.ShardKey(broadcastId, i)).StartAsync()));
        if (state.State.Status == BroadcastStatus.Accepted)
        {
            state.State.Status = BroadcastStatus.Sending;
            await state.WriteStateAsync();
        }
    }

    private async Task UnregisterWatchdogAsync()
    {
        var reminder = await this.GetReminder(WatchdogReminder);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private BroadcastView? View()
    {
        var s = state.State;
        if (s.Submission is null || s.Content is null)
        {
            return null;
        }

        var done = s.ShardCounts.Values.Aggregate(BroadcastCounts.Zero, (sum, c) => sum.Add(c));
        return new BroadcastView(
            this.GetPrimaryKeyString(), s.Submission.SchoolId, s.BoardId, s.Content.Subject, s.Content.Category, s.Status,
            done with { Recipients = s.RecipientCount }, s.Submission.SubmittedAt, s.CompletedAt, s.Submission.PtaId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId} of school {SchoolId} accepted: {Recipients} recipients in {Shards} shards")]
    private static partial void LogAccepted(ILogger logger, string broadcastId, string schoolId, int recipients, int shards);
}
