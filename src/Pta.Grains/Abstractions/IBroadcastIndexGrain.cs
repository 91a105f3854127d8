using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// The broadcasts of one school or one board (key <c>school/{id}</c> or <c>board/{id}</c>), as their consoles list
/// them: the approval queue, the scheduled sends, the recent ones. Each broadcast grain writes its own line at every
/// change of state; per-recipient data never comes here.
/// </summary>
public interface IBroadcastIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces the line of one broadcast.</summary>
    Task UpsertAsync(BroadcastView broadcast);

    /// <summary>The broadcasts, newest first; only those in <paramref name="status"/> when given.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<BroadcastView>> ListAsync(BroadcastStatus? status, int limit);
}
