using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Submits the board's monthly test broadcast at its time. Each run's broadcast id comes from the board and the month,
/// so a tick repeated after a crash (reminders are at-least-once) submits the same broadcast again, which the
/// broadcast grain answers as already accepted.
/// </summary>
public sealed partial class MonthlyTestGrain(
    [PersistentState("monthly-test", StorageNames.State)] IPersistentState<MonthlyTestState> state,
    TimeProvider time,
    ILogger<MonthlyTestGrain> logger) : Grain, IMonthlyTestGrain, IRemindable
{
    internal const string RunReminder = "monthly-test";

    /// <summary>Runs kept in the view.</summary>
    private const int RecentKept = 12;

    public async Task<DateTimeOffset> SetAsync(MonthlySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        state.State.Schedule = schedule;
        state.State.NextRunAt = schedule.NextAfter(time.GetUtcNow());
        await state.WriteStateAsync();
        await RegisterNextAsync();
        return state.State.NextRunAt.Value;
    }

    public async Task<bool> StopAsync()
    {
        if (state.State.Schedule is null)
        {
            return false;
        }

        state.State.Schedule = null;
        state.State.NextRunAt = null;
        await state.WriteStateAsync();
        if (await this.GetReminder(RunReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        return true;
    }

    public Task<MonthlyTestView?> GetAsync() =>
        Task.FromResult(state.State is { Schedule: { } schedule, NextRunAt: { } next }
            ? new MonthlyTestView(schedule, next, [.. state.State.RecentBroadcastIds])
            : null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State is not { Schedule: { } schedule, NextRunAt: { } due })
        {
            return;
        }

        if (time.GetUtcNow() < due - TimeSpan.FromSeconds(1))
        {
            return; // an early tick of the one-minute period; the due one comes
        }

        var boardId = this.GetPrimaryKeyString();
        var key = MonthlySchedule.RunKey(due);
        var broadcastId = Ids.BroadcastId($"board/{boardId}", key);
        var submission = new BroadcastSubmission(
            null, schedule.Subject, schedule.Body, BroadcastCategory.Test, Audience.WholeSchool, key, schedule.SetBy.KeyId, time.GetUtcNow(),
            BoardId: boardId, SchoolIds: schedule.SchoolIds, RequestsConfirmation: schedule.RequestsConfirmation,
            Submitter: schedule.SetBy with { Role = CredentialRole.Board }); // set up by a board administrator: approved in advance
        var result = await GrainFactory.GetGrain<IBroadcastGrain>(broadcastId).SubmitAsync(submission);
        LogRun(logger, boardId, key, result.Outcome);

        state.State.RecentBroadcastIds.Insert(0, broadcastId);
        state.State.RecentBroadcastIds = [.. state.State.RecentBroadcastIds.Distinct().Take(RecentKept)];
        state.State.NextRunAt = schedule.NextAfter(due);
        await state.WriteStateAsync();
        await RegisterNextAsync();
    }

    private async Task RegisterNextAsync()
    {
        var due = state.State.NextRunAt!.Value - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(RunReminder, due < TimeSpan.Zero ? TimeSpan.Zero : due, TimeSpan.FromMinutes(1));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: monthly test {Run} submitted: {Outcome}")]
    private static partial void LogRun(ILogger logger, string boardId, string run, SubmitOutcome outcome);
}

[GenerateSerializer, Alias("pta.monthly-test-state")]
public sealed class MonthlyTestState
{
    [Id(0)] public MonthlySchedule? Schedule { get; set; }

    [Id(1)] public DateTimeOffset? NextRunAt { get; set; }

    [Id(2)] public List<string> RecentBroadcastIds { get; set; } = [];
}
