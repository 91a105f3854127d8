using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Keeps every open broadcast (awaiting approval, scheduled, sending) and the most recent finished ones, so the
/// state of a school's index stays small however many years it sends.
/// </summary>
public sealed class BroadcastIndexGrain(
    [PersistentState("broadcast-index", StorageNames.State)] IPersistentState<BroadcastIndexState> state) : Grain, IBroadcastIndexGrain
{
    /// <summary>Finished broadcasts kept in the list (the ledger and reports keep everything else).</summary>
    internal const int FinishedKept = 500;

    public static string SchoolKey(string schoolId) => $"school/{schoolId}";

    public static string BoardKey(string boardId) => $"board/{boardId}";

    public async Task UpsertAsync(BroadcastView broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        if (state.State.Broadcasts.TryGetValue(broadcast.Id, out var known) && known == broadcast)
        {
            return;
        }

        state.State.Broadcasts[broadcast.Id] = broadcast;
        var finished = state.State.Broadcasts.Values.Where(b => IsFinished(b.Status)).OrderByDescending(b => b.AcceptedAt).Skip(FinishedKept).ToList();
        foreach (var old in finished)
        {
            state.State.Broadcasts.Remove(old.Id);
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<BroadcastView>> ListAsync(BroadcastStatus? status, int limit) =>
        Task.FromResult<IReadOnlyList<BroadcastView>>(
            [.. state.State.Broadcasts.Values
                .Where(b => status is null || b.Status == status)
                .OrderByDescending(b => b.AcceptedAt)
                .Take(Math.Clamp(limit, 1, FinishedKept))]);

    private static bool IsFinished(BroadcastStatus status) =>
        status is BroadcastStatus.Completed or BroadcastStatus.Cancelled or BroadcastStatus.Rejected;
}

[GenerateSerializer, Alias("pta.broadcast-index-state")]
public sealed class BroadcastIndexState
{
    [Id(0)] public Dictionary<string, BroadcastView> Broadcasts { get; set; } = [];
}
