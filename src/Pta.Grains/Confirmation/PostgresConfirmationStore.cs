using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Pta.Grains.Confirmation;

/// <summary>
/// Hot path: the production confirmation store, group-committed. A city-wide alert brings 100,000 clicks within
/// minutes; one transaction per click would cost PostgreSQL a commit (and a WAL flush) each. Instead every click joins
/// a queue, and <see cref="Writers"/> writer loops each take whatever has gathered and store it with one
/// <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING</c>: the batch grows by itself with the load
/// (while one statement runs the next batch gathers), and each caller is answered only after its batch committed.
/// </summary>
public sealed partial class PostgresConfirmationStore : IConfirmationStore, IAsyncDisposable
{
    /// <summary>
    /// Statements in flight at once: two, so a batch gathers while the other commits and a slow commit does not hold
    /// every click up; more only split the same clicks into smaller batches.
    /// </summary>
    public const int Writers = 2;

    /// <summary>The most confirmations one statement carries (a few tens of KB of parameters).</summary>
    public const int MaxBatch = 2000;

    private const string InsertSql =
        "INSERT INTO pta_confirmation (broadcast_id, household, recipient_key, confirmed_at) " +
        "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) " +
        "ON CONFLICT (broadcast_id, household) DO NOTHING RETURNING broadcast_id, household";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresConfirmationStore> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;
    private long _batches;

    public PostgresConfirmationStore(NpgsqlDataSource dataSource, ILogger<PostgresConfirmationStore> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Statements sent so far (one per batch), to show that concurrent clicks share them.</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    public Task<bool> RecordAsync(ConfirmationRecord confirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        // Once queued the click is stored even if its caller goes away: a batch takes milliseconds, and not waiting on
        // the token saves every click a registration.
        var pending = new Pending(confirmation);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    public async Task<IReadOnlyList<ConfirmationRecord>> ReadAsync(string broadcastId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT household, recipient_key, confirmed_at FROM pta_confirmation WHERE broadcast_id = $1 ORDER BY confirmed_at, household");
        command.Parameters.AddWithValue(broadcastId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<ConfirmationRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ConfirmationRecord(broadcastId, reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return records;
    }

    /// <summary>Stops taking clicks, stores those already queued, and waits for the writers.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>
    /// One statement for the batch. A household twice in one batch (both its addresses clicked at once) is sent once,
    /// the earlier click; RETURNING names the rows that were new, so every caller learns whether its click was first.
    /// </summary>
    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var firstOf = new Dictionary<(string, string), Pending>(batch.Count);
        foreach (var pending in batch)
        {
            firstOf.TryAdd((pending.Record.BroadcastId, pending.Record.Household), pending);
        }

        try
        {
            Interlocked.Increment(ref _batches);
            var rows = firstOf.Values.Select(p => p.Record).ToList();
            // Prepared: PostgreSQL parses and plans the statement once per connection, not once per batch (Npgsql
            // keeps it prepared when the connection goes back to the pool; preparing it again is a local lookup).
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(InsertSql, connection);
            command.Parameters.AddWithValue(rows.Select(r => r.BroadcastId).ToArray());
            command.Parameters.AddWithValue(rows.Select(r => r.Household).ToArray());
            command.Parameters.AddWithValue(rows.Select(r => r.RecipientKey).ToArray());
            command.Parameters.AddWithValue(rows.Select(r => r.At.UtcDateTime).ToArray());
            await command.PrepareAsync();
            var inserted = new HashSet<(string, string)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    inserted.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var pending in batch)
            {
                var key = (pending.Record.BroadcastId, pending.Record.Household);
                pending.Done.TrySetResult(ReferenceEquals(firstOf[key], pending) && inserted.Contains(key));
            }
        }
        catch (Exception ex)
        {
            // Nothing of the batch is known to be stored: every caller hears so (the gateway asks the guardian to retry).
            LogBatchFailed(_logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} confirmations could not be stored")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(ConfirmationRecord record)
    {
        public ConfirmationRecord Record { get; } = record;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
