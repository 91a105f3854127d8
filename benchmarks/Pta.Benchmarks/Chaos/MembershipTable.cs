using Npgsql;

namespace Pta.Benchmarks.Chaos;

/// <summary>
/// Orleans' membership table as the chaos run reads it (PostgreSQL clustering): which silo generation is active on
/// which port, and when a killed one was declared dead. Read-only; Orleans alone writes it.
/// </summary>
public sealed class MembershipTable(string connectionString) : IAsyncDisposable
{
    /// <summary>Orleans' <c>SiloStatus</c> values the run looks for.</summary>
    public const int Active = 3;

    public const int Dead = 6;

    private readonly NpgsqlDataSource _database = NpgsqlDataSource.Create(connectionString);

    /// <summary>Every row now: one per silo generation (a restarted silo adds a row on the same port).</summary>
    public async Task<IReadOnlyList<MembershipRow>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("SELECT port, generation, status FROM orleansmembershiptable");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<MembershipRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MembershipRow(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}

/// <summary>One silo generation's row: its silo-to-silo port, generation (start time) and status.</summary>
public sealed record MembershipRow(int Port, int Generation, int Status)
{
    public bool IsActive => Status == MembershipTable.Active;

    public bool IsDead => Status == MembershipTable.Dead;
}
