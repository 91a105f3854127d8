namespace Pta.Grains.Delivery;

/// <summary>
/// The fence against two activations of one shard sending at once (see 104-pta-shard-lease.sql): a shard sends only
/// while it holds its lease, renews it while it sends, and releases it when done.
/// </summary>
public interface IShardLeases
{
    /// <summary>
    /// Takes the shard's lease for this activation: true if it was free, released, held by this same activation, held by
    /// a silo generation that is dead, or not renewed within <paramref name="expiry"/>; false while another live holder has it.
    /// </summary>
    Task<bool> ClaimAsync(ShardLease lease, TimeSpan expiry, CancellationToken cancellationToken);

    /// <summary>Extends the lease; false if this activation no longer holds it (another took it over).</summary>
    Task<bool> RenewAsync(ShardLease lease, CancellationToken cancellationToken);

    /// <summary>Gives the lease up, if this activation still holds it.</summary>
    Task ReleaseAsync(ShardLease lease, CancellationToken cancellationToken);
}
