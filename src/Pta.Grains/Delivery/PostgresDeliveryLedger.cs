using Npgsql;
using NpgsqlTypes;
using Pta.Grains.Persistence;

namespace Pta.Grains.Delivery;

/// <summary>
/// The production ledger: an append-only table filled with binary COPY, which streams a shard's rows in one round
/// trip where grain storage would take one per row. Reads take the newest row per recipient. Replies are stored with
/// every address masked (<see cref="AddressRedaction"/>): carriers echo the recipient, and this table is not sealed.
/// </summary>
public sealed class PostgresDeliveryLedger(NpgsqlDataSource dataSource) : IDeliveryLedger
{
    public async Task RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY pta_delivery_outcome (broadcast_id, shard_index, recipient_key, status, attempts, reply, recorded_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var outcome in outcomes)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(outcome.BroadcastId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(outcome.ShardIndex, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(outcome.RecipientKey, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync((short)outcome.Status, NpgsqlDbType.Smallint, cancellationToken);
            await writer.WriteAsync(outcome.Attempts, NpgsqlDbType.Integer, cancellationToken);
            if (AddressRedaction.Redact(outcome.Reply) is { } reply)
            {
                await writer.WriteAsync(reply, NpgsqlDbType.Text, cancellationToken);
            }
            else
            {
                await writer.WriteNullAsync(cancellationToken);
            }

            await writer.WriteAsync(outcome.RecordedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken); // UTC only, as Npgsql requires
        }

        await writer.CompleteAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<string>> SentKeysAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken)
    {
        // Any "sent" row counts, even if a later row says otherwise: a message that left must not leave twice.
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT recipient_key FROM pta_delivery_outcome WHERE broadcast_id = $1 AND shard_index = $2 AND status = 0");
        command.Parameters.AddWithValue(broadcastId);
        command.Parameters.AddWithValue(shardIndex);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> ReadAsync(string broadcastId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT DISTINCT ON (recipient_key) broadcast_id, shard_index, recipient_key, status, attempts, reply, recorded_at
            FROM pta_delivery_outcome
            WHERE broadcast_id = $1
            ORDER BY recipient_key, recorded_at DESC, id DESC
            """);
        command.Parameters.AddWithValue(broadcastId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<DeliveryOutcome>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeliveryOutcome(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetString(2),
                (DeliveryStatus)reader.GetInt16(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return rows;
    }
}
