using Npgsql;
using Pta.Grains.Persistence;

namespace Pta.Grains.Audit;

/// <summary>
/// The production audit trail: one row per entry in <c>pta_audit_log</c>, written before the caller goes on. Details
/// name ids and counts by design; any address that still gets into one (a reason typed by staff) is stored masked.
/// </summary>
public sealed class PostgresAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO pta_audit_log (recorded_at, actor, action, subject, detail, origin) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.AddWithValue(entry.At.ToUniversalTime()); // Npgsql writes timestamptz from UTC offsets only
        command.Parameters.AddWithValue(entry.Actor);
        command.Parameters.AddWithValue(entry.Action);
        command.Parameters.AddWithValue(entry.Subject);
        command.Parameters.AddWithValue((object?)AddressRedaction.Redact(entry.Detail) ?? DBNull.Value);
        command.Parameters.AddWithValue((object?)entry.Origin ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string subject, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT recorded_at, actor, action, subject, detail, origin FROM pta_audit_log WHERE subject = $1 ORDER BY id");
        command.Parameters.AddWithValue(subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return entries;
    }
}
