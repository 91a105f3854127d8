using System.Collections.Concurrent;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>The embedded default's audience store: this process only, like the rest of the embedded state.</summary>
public sealed class InMemoryAudienceStore : IAudienceStore
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<IReadOnlyList<Recipient>>> _shards = new(StringComparer.Ordinal);

    public Task SaveAsync(string broadcastId, IReadOnlyList<IReadOnlyList<Recipient>> shards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shards);
        _shards[broadcastId] = [.. shards.Select(s => (IReadOnlyList<Recipient>)[.. s])];
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Recipient>> LoadAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken) =>
        Task.FromResult(_shards.TryGetValue(broadcastId, out var shards) && shardIndex >= 0 && shardIndex < shards.Count
            ? shards[shardIndex]
            : []);

    public Task<IReadOnlyList<IReadOnlyList<Recipient>>> LoadAllAsync(string broadcastId, CancellationToken cancellationToken) =>
        Task.FromResult(_shards.TryGetValue(broadcastId, out var shards) ? shards : []);
}
