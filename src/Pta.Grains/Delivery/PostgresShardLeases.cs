using Npgsql;

namespace Pta.Grains.Delivery;

/// <summary>
/// Shard leases in PostgreSQL. Whether a holder's silo is dead is read from Orleans' own membership table in the same
/// statement, so a lease passes on exactly when Orleans has declared the silo dead, with no clock of our own involved;
/// the renewal time (the database's clock) covers a holder that stopped without releasing on a silo that lives on.
/// </summary>
public sealed class PostgresShardLeases(NpgsqlDataSource dataSource) : IShardLeases
{
    private const int DeadSilo = 6; // Orleans' SiloStatus.Dead

    public async Task<bool> ClaimAsync(ShardLease lease, TimeSpan expiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO pta_shard_lease AS l (broadcast_id, shard_index, address, port, generation, activation, renewed_at)
            VALUES ($1, $2, $3, $4, $5, $6, now())
            ON CONFLICT (broadcast_id, shard_index) DO UPDATE
               SET address = EXCLUDED.address, port = EXCLUDED.port, generation = EXCLUDED.generation,
                   activation = EXCLUDED.activation, renewed_at = EXCLUDED.renewed_at
             WHERE l.activation = EXCLUDED.activation
                OR l.renewed_at < now() - $7
                OR NOT EXISTS (SELECT 1 FROM orleansmembershiptable m
                                WHERE m.address = l.address AND m.port = l.port AND m.generation = l.generation
                                  AND m.status <> {DeadSilo})
            RETURNING activation
            """);
        Add(command, lease);
        command.Parameters.AddWithValue(expiry);
        return await command.ExecuteScalarAsync(cancellationToken) is Guid;
    }

    public async Task<bool> RenewAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await ExecuteForHolderAsync("UPDATE pta_shard_lease SET renewed_at = now()", lease, cancellationToken) == 1;
    }

    public async Task ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await ExecuteForHolderAsync("DELETE FROM pta_shard_lease", lease, cancellationToken);
    }

    /// <summary>Runs <paramref name="statement"/> on the lease's row only while this activation holds it; returns the rows touched.</summary>
    private async Task<int> ExecuteForHolderAsync(string statement, ShardLease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{statement} WHERE broadcast_id = $1 AND shard_index = $2 AND activation = $3");
        command.Parameters.AddWithValue(lease.BroadcastId);
        command.Parameters.AddWithValue(lease.ShardIndex);
        command.Parameters.AddWithValue(lease.Activation);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(NpgsqlCommand command, ShardLease lease)
    {
        command.Parameters.AddWithValue(lease.BroadcastId);
        command.Parameters.AddWithValue(lease.ShardIndex);
        command.Parameters.AddWithValue(lease.Address);
        command.Parameters.AddWithValue(lease.Port);
        command.Parameters.AddWithValue(lease.Generation);
        command.Parameters.AddWithValue(lease.Activation);
    }
}
