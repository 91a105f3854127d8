using Npgsql;

namespace Pta.Grains.Persistence;

/// <summary>
/// The <c>reseal</c> command: brings everything already in the database to the active key. Run it once after
/// upgrading a database that predates sealing (its rows are readable but plain until rewritten), and after making
/// a new key active, before the old key is removed (docs/operations.md, key rotation).
/// </summary>
/// <remarks>
/// Safe while silos run. A grain state row is rewritten only if its version is still the one read, so a grain that
/// wrote in between keeps its newer state (sealed by the silo with the active key); the version is not bumped, since
/// the content is the same. Audience rows are matched on their old value. Runs again without harm: what is sealed
/// with the active key, or already masked, is not selected.
/// </remarks>
public sealed class AtRestReseal(NpgsqlDataSource dataSource, AtRestProtector protector)
{
    private const int BatchSize = 500;

    /// <summary>Reseals and redacts everything that needs it; returns how many rows each step changed.</summary>
    public async Task<AtRestResealReport> RunAsync(CancellationToken cancellationToken = default) => new(
        await ResealGrainStateAsync(cancellationToken),
        await ResealAudienceAsync(cancellationToken),
        await RedactAsync("pta_delivery_outcome", "reply", cancellationToken),
        await RedactAsync("pta_audit_log", "detail", cancellationToken),
        await DropClearedLegacyOwnersAsync(cancellationToken));

    private byte[] ActiveHeader => [AtRestProtector.Marker, AtRestProtector.FormatVersion, protector.ActiveKeyId];

    private byte[] Reseal(byte[] stored) => protector.Seal(AtRestProtector.IsSealed(stored) ? protector.Open(stored) : stored);

    private async Task<int> ResealGrainStateAsync(CancellationToken cancellationToken)
    {
        const string Identity =
            "grainidhash = $1 AND grainidn0 = $2 AND grainidn1 = $3 AND graintypehash = $4 AND graintypestring = $5 " +
            "AND grainidextensionstring IS NOT DISTINCT FROM $6 AND serviceid = $7 AND version = $8";
        return await RewriteAsync(
            "SELECT grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, version, payloadbinary " +
            "FROM orleansstorage WHERE payloadbinary IS NOT NULL AND substring(payloadbinary from 1 for 3) <> $1",
            ActiveHeader,
            reader =>
            {
                var update = new NpgsqlBatchCommand($"UPDATE orleansstorage SET payloadbinary = $9 WHERE {Identity}");
                for (var i = 0; i < 8; i++)
                {
                    update.Parameters.Add(new NpgsqlParameter { Value = reader.GetValue(i) });
                }

                update.Parameters.Add(new NpgsqlParameter { Value = Reseal(reader.GetFieldValue<byte[]>(8)) });
                return update;
            },
            cancellationToken);
    }

    private async Task<int> ResealAudienceAsync(CancellationToken cancellationToken) => await RewriteAsync(
        "SELECT broadcast_id, shard_index, position, address FROM pta_broadcast_recipient WHERE substring(address from 1 for 3) <> $1",
        ActiveHeader,
        reader =>
        {
            var old = reader.GetFieldValue<byte[]>(3);
            var update = new NpgsqlBatchCommand(
                "UPDATE pta_broadcast_recipient SET address = $5 WHERE broadcast_id = $1 AND shard_index = $2 AND position = $3 AND address = $4");
            update.Parameters.Add(new NpgsqlParameter { Value = reader.GetString(0) });
            update.Parameters.Add(new NpgsqlParameter { Value = reader.GetInt32(1) });
            update.Parameters.Add(new NpgsqlParameter { Value = reader.GetInt32(2) });
            update.Parameters.Add(new NpgsqlParameter { Value = old });
            update.Parameters.Add(new NpgsqlParameter { Value = Reseal(old) });
            return update;
        },
        cancellationToken);

    // Free text written before replies and details were masked. Rows whose text masks to itself (an '@' that is no
    // address, or one masked already) are skipped rather than rewritten.
    private async Task<int> RedactAsync(string table, string column, CancellationToken cancellationToken) => await RewriteAsync(
        $"SELECT id, {column} FROM {table} WHERE {column} LIKE '%@%'",
        null,
        reader =>
        {
            var text = reader.GetString(1);
            var masked = AddressRedaction.Redact(text);
            if (masked == text)
            {
                return null;
            }

            var update = new NpgsqlBatchCommand($"UPDATE {table} SET {column} = $2 WHERE id = $1");
            update.Parameters.Add(new NpgsqlParameter { Value = reader.GetInt64(0) });
            update.Parameters.Add(new NpgsqlParameter { Value = masked });
            return update;
        },
        cancellationToken);

    // Address owners released under the old plain-hash key leave a row whose key is that hash (Orleans keeps cleared
    // rows); an owner still recorded there is taken over on the next claim of its address and then cleared too.
    private async Task<int> DropClearedLegacyOwnersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM orleansstorage WHERE payloadbinary IS NULL AND grainidextensionstring LIKE 'ad-%' AND graintypestring = 'address-owner'");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Streams the rows <paramref name="select"/> finds (its $1 is <paramref name="header"/>, when given) on one connection
    /// and applies the updates <paramref name="rewrite"/> makes of them in batches on another; null means leave the row.
    /// </summary>
    private async Task<int> RewriteAsync(
        string select, byte[]? header, Func<NpgsqlDataReader, NpgsqlBatchCommand?> rewrite, CancellationToken cancellationToken)
    {
        await using var readConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writeConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var query = new NpgsqlCommand(select, readConnection);
        if (header is not null)
        {
            query.Parameters.Add(new NpgsqlParameter { Value = header });
        }

        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var changed = 0;
        var batch = new NpgsqlBatch(writeConnection);
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (rewrite(reader) is { } update)
                {
                    batch.BatchCommands.Add(update);
                }

                if (batch.BatchCommands.Count == BatchSize)
                {
                    changed += await batch.ExecuteNonQueryAsync(cancellationToken);
                    await batch.DisposeAsync();
                    batch = new NpgsqlBatch(writeConnection);
                }
            }

            if (batch.BatchCommands.Count > 0)
            {
                changed += await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await batch.DisposeAsync();
        }

        return changed;
    }
}
