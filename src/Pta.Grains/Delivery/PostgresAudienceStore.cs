using Npgsql;
using NpgsqlTypes;
using Pta.Grains.Abstractions;
using Pta.Grains.Persistence;

namespace Pta.Grains.Delivery;

/// <summary>
/// The production audience store: one binary COPY per broadcast (a million rows in seconds, where grain storage
/// would need one write per shard), inside a transaction that first removes what an unacknowledged attempt left,
/// so a retried submission never doubles its audience. Each address is sealed on its own (bytea, see
/// <see cref="AtRestProtector"/>): shards read their slice by index, so a row must open without its neighbours.
/// </summary>
public sealed class PostgresAudienceStore(NpgsqlDataSource dataSource, AtRestProtector protector) : IAudienceStore
{
    public async Task SaveAsync(string broadcastId, IReadOnlyList<IReadOnlyList<Recipient>> shards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shards);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var clear = new NpgsqlCommand("DELETE FROM pta_broadcast_recipient WHERE broadcast_id = $1", connection, transaction))
        {
            clear.Parameters.AddWithValue(broadcastId);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY pta_broadcast_recipient (broadcast_id, shard_index, position, recipient_key, address) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var shard = 0; shard < shards.Count; shard++)
            {
                var recipients = shards[shard];
                for (var position = 0; position < recipients.Count; position++)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(broadcastId, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(shard, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(position, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(recipients[position].Key, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(protector.SealText(recipients[position].Address), NpgsqlDbType.Bytea, cancellationToken);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Recipient>> LoadAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT recipient_key, address FROM pta_broadcast_recipient WHERE broadcast_id = $1 AND shard_index = $2 ORDER BY position");
        command.Parameters.AddWithValue(broadcastId);
        command.Parameters.AddWithValue(shardIndex);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recipients = new List<Recipient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recipients.Add(new Recipient(reader.GetString(0), Address(reader, 1)));
        }

        return recipients;
    }

    public async Task<IReadOnlyList<IReadOnlyList<Recipient>>> LoadAllAsync(string broadcastId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT shard_index, recipient_key, address FROM pta_broadcast_recipient WHERE broadcast_id = $1 ORDER BY shard_index, position");
        command.Parameters.AddWithValue(broadcastId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var shards = new List<List<Recipient>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var shard = reader.GetInt32(0);
            while (shards.Count <= shard)
            {
                shards.Add([]);
            }

            shards[shard].Add(new Recipient(reader.GetString(1), Address(reader, 2)));
        }

        return shards;
    }

    // Rows of a database upgraded in place may still hold the address as plain UTF-8 bytes; OpenText reads both.
    private string Address(NpgsqlDataReader reader, int ordinal) => protector.OpenText(reader.GetFieldValue<byte[]>(ordinal));
}
