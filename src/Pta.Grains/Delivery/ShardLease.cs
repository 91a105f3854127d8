namespace Pta.Grains.Delivery;

/// <summary>
/// A claim to send one shard: the shard, the silo generation its activation runs on (as Orleans' membership table
/// names it) and that activation's own id, so that a second activation of the same shard can be told apart.
/// </summary>
public sealed record ShardLease(string BroadcastId, int ShardIndex, string Address, int Port, int Generation, Guid Activation);
