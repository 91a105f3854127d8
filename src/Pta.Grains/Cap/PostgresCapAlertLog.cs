using Npgsql;

namespace Pta.Grains.Cap;

/// <summary>
/// Production alert log: one row per (board, sender, identifier) in <c>pta_cap_alert</c>. The insert keeps the
/// first row (ON CONFLICT DO NOTHING): two gateways taking the same alert at once agree on one record, and the
/// broadcast ids are derived from the alert anyway, so both name the same broadcast.
/// </summary>
public sealed class PostgresCapAlertLog(NpgsqlDataSource dataSource) : ICapAlertLog
{
    private const string Columns = "board_id, sender, identifier, sent, msg_type, action, rule, broadcast_ids, recorded_at";

    public async Task<CapAlertRecord?> FindAsync(string boardId, string sender, string identifier, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM pta_cap_alert WHERE board_id = $1 AND sender = $2 AND identifier = $3");
        command.Parameters.AddWithValue(boardId);
        command.Parameters.AddWithValue(sender);
        command.Parameters.AddWithValue(identifier);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CapAlertRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<string[]>(7), reader.GetFieldValue<DateTimeOffset>(8))
            : null;
    }

    public async Task<bool> AddAsync(CapAlertRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO pta_cap_alert ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue(record.BoardId);
        command.Parameters.AddWithValue(record.Sender);
        command.Parameters.AddWithValue(record.Identifier);
        command.Parameters.AddWithValue(record.Sent.ToUniversalTime()); // Npgsql writes timestamptz from UTC offsets only
        command.Parameters.AddWithValue(record.MsgType);
        command.Parameters.AddWithValue(record.Action);
        command.Parameters.AddWithValue((object?)record.Rule ?? DBNull.Value);
        command.Parameters.AddWithValue(record.BroadcastIds.ToArray());
        command.Parameters.AddWithValue(record.RecordedAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
