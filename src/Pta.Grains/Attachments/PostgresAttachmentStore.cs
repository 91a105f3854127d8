using Npgsql;
using NpgsqlTypes;

namespace Pta.Grains.Attachments;

/// <summary>
/// Production attachments: one row per file in <c>pta_attachment</c>, the bytes in a <c>bytea</c> column (files are at
/// most a few MB, below where large objects pay off, and a row is deleted or backed up with its description).
/// </summary>
public sealed class PostgresAttachmentStore(NpgsqlDataSource dataSource) : IAttachmentStore
{
    private const string Columns = "id, owner, file_name, content_type, byte_length, uploaded_by, uploaded_at";

    public async Task SaveAsync(AttachmentInfo info, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO pta_attachment ({Columns}, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.AddWithValue(info.AttachmentId);
        command.Parameters.AddWithValue(info.Owner);
        command.Parameters.AddWithValue(info.FileName);
        command.Parameters.AddWithValue(info.ContentType);
        command.Parameters.AddWithValue(info.Length);
        command.Parameters.AddWithValue(info.UploadedBy);
        command.Parameters.AddWithValue(info.UploadedAt.ToUniversalTime()); // Npgsql writes timestamptz from UTC offsets only
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = content });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<AttachmentInfo?> FindAsync(string attachmentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM pta_attachment WHERE id = $1");
        command.Parameters.AddWithValue(attachmentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Info(reader) : null;
    }

    public async Task<(AttachmentInfo Info, byte[] Content)?> ReadAsync(string attachmentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, content FROM pta_attachment WHERE id = $1");
        command.Parameters.AddWithValue(attachmentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Info(reader), reader.GetFieldValue<byte[]>(7)) : null;
    }

    private static AttachmentInfo Info(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
            reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
}
