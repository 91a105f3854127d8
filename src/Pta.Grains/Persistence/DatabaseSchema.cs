using System.Reflection;
using Npgsql;

namespace Pta.Grains.Persistence;

/// <summary>
/// Creates or refreshes the PostgreSQL objects the silo relies on: the tables, functions and
/// stored queries of Orleans' ADO.NET providers and any of our own tables.
/// </summary>
/// <remarks>
/// The scripts are the <c>.sql</c> files under <c>Persistence/Schema</c>, embedded in this
/// assembly. Each script is idempotent, so running them on every start is how a database is
/// both created and brought up to date.
/// </remarks>
public static class DatabaseSchema
{
    // Key for pg_advisory_xact_lock; the bytes spell "PTASCHEM". Any constant works as long as
    // every silo uses the same one and nothing else in the database uses it for another purpose.
    private const long SchemaLockKey = 0x5054_4153_4348_454D;

    // Embedded resource names are "<default namespace>.<folder path with dots>.<file name>".
    // Matching on the folder segment keeps this independent of the assembly's root namespace.
    private const string ResourceFolderSegment = ".Persistence.Schema.";
    private const string ResourceExtension = ".sql";

    // Generous, because the first statement may wait for another silo that is running the
    // same scripts; the caller's cancellation token is the way to give up earlier.
    private const int CommandTimeoutSeconds = 300;

    /// <summary>
    /// Runs every embedded schema script, in ordinal order of its name, against the given
    /// database. The database itself must already exist.
    /// </summary>
    /// <param name="connectionString">Npgsql connection string of the silo's database.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock or a running script.</param>
    /// <returns>A task that completes once all scripts are committed.</returns>
    /// <remarks>
    /// All scripts run in one transaction, so a failing script leaves the database as it was.
    /// The transaction first takes a transaction-scoped advisory lock, so silos that start at
    /// the same time run the scripts one after the other: PostgreSQL's
    /// <c>CREATE ... IF NOT EXISTS</c> alone is not safe against a concurrent creator.
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// No scripts are embedded, or a script failed (the inner exception has the details).
    /// </exception>
    public static async Task EnsureCreatedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Read the scripts before touching the database, so a packaging mistake does not
        // hold the lock or leave a half-open transaction behind.
        var scripts = LoadScripts();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.CommandTimeout = CommandTimeoutSeconds;
            lockCommand.Parameters.AddWithValue("key", SchemaLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var script in scripts)
        {
            await using var command = new NpgsqlCommand(script.Text, connection, transaction);
            command.CommandTimeout = CommandTimeoutSeconds;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException exception)
            {
                // PostgreSQL's message says what failed but not in which of the files.
                throw new InvalidOperationException(
                    $"Database schema script '{script.Name}' failed: {exception.MessageText}", exception);
            }
        }

        // Committing releases the advisory lock as well.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<SchemaScript> LoadScripts()
    {
        var assembly = typeof(DatabaseSchema).Assembly;

        // Ordinal order of the full names equals the order of the file names, because all of
        // them share the same prefix; the numeric file-name prefixes therefore decide.
        var names = assembly.GetManifestResourceNames()
            .Where(name => name.Contains(ResourceFolderSegment, StringComparison.Ordinal)
                && name.EndsWith(ResourceExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        if (names.Count == 0)
        {
            throw new InvalidOperationException(
                $"No embedded '*{ResourceExtension}' resources under '{ResourceFolderSegment}' found in {assembly.GetName().Name}; "
                + "check the EmbeddedResource item for Persistence/Schema/*.sql in the project file.");
        }

        var scripts = new List<SchemaScript>(names.Count);
        foreach (var name in names)
        {
            scripts.Add(new SchemaScript(name, ReadResource(assembly, name)));
        }

        return scripts;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' could not be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record SchemaScript(string Name, string Text);
}
