using System.Collections.Concurrent;

namespace Pta.Grains.Delivery;

/// <summary>
/// The embedded default's leases: one process, one silo, so no activation of a shard can run elsewhere; a lease is
/// refused only to a second activation while the first still holds it and renews it.
/// </summary>
public sealed class InMemoryShardLeases(TimeProvider time) : IShardLeases
{
    private readonly ConcurrentDictionary<(string, int), (Guid Activation, DateTimeOffset RenewedAt)> _leases = new();

    public Task<bool> ClaimAsync(ShardLease lease, TimeSpan expiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = time.GetUtcNow();
        var held = _leases.AddOrUpdate((lease.BroadcastId, lease.ShardIndex), _ => (lease.Activation, now),
            (_, current) => current.Activation == lease.Activation || current.RenewedAt < now - expiry ? (lease.Activation, now) : current);
        return Task.FromResult(held.Activation == lease.Activation);
    }

    public Task<bool> RenewAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = (lease.BroadcastId, lease.ShardIndex);
        var renewed = _leases.TryGetValue(key, out var current) && current.Activation == lease.Activation
                      && _leases.TryUpdate(key, (lease.Activation, time.GetUtcNow()), current);
        return Task.FromResult(renewed);
    }

    public Task ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = (lease.BroadcastId, lease.ShardIndex);
        if (_leases.TryGetValue(key, out var current) && current.Activation == lease.Activation)
        {
            _leases.TryRemove(new KeyValuePair<(string, int), (Guid, DateTimeOffset)>(key, current));
        }

        return Task.CompletedTask;
    }
}
