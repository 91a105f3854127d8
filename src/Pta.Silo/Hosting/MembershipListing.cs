using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Pta.Silo.Hosting;

/// <summary>
/// <c>Pta.Silo silos</c>: the cluster's silos as Orleans' membership table on PostgreSQL lists them, one line each, for
/// operators and for <c>deploy/pta-silo.sh</c>, which waits for a silo it started to show up as Active. Read-only: only
/// Orleans writes that table. Dead generations older than an hour are left out; Orleans keeps them for a week.
/// </summary>
public static class MembershipListing
{
    /// <summary>Orleans' <c>SiloStatus</c> numbers as the table stores them.</summary>
    private static readonly Dictionary<int, string> StatusNames = new()
    {
        [0] = "None", [1] = "Created", [2] = "Joining", [3] = "Active", [4] = "ShuttingDown", [5] = "Stopping", [6] = "Dead",
    };

    public static async Task<IReadOnlyList<string>> ListSilosAsync(this IHostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
        await using var dataSource = NpgsqlDataSource.Create(SiloHostingExtensions.RequireConnectionString(postgres));
        await using var command = dataSource.CreateCommand("""
            SELECT address, port, generation, status, siloname, hostname, starttime, iamalivetime
            FROM orleansmembershiptable
            WHERE deploymentid = $1 AND (status <> 6 OR iamalivetime > now() - interval '1 hour')
            ORDER BY starttime
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.ClusterId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string> { "address port generation status name host started last_alive" };
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = StatusNames.GetValueOrDefault(reader.GetInt32(3), reader.GetInt32(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
            lines.Add(string.Join(' ',
                reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), status, reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6).ToString("O"), reader.GetFieldValue<DateTimeOffset>(7).ToString("O")));
        }

        return lines;
    }
}
