using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: the silo's one way into the delivery ledger while shards send, group-committed. A shard hands over each
/// outcome the moment its send returns; <see cref="Writers"/> writer loops each take whatever has gathered and append
/// it with one <see cref="IDeliveryLedger.RecordAsync"/> (one COPY in production), so the batch grows by itself with
/// the load (while one COPY runs, the next batch gathers).
/// </summary>
/// <remarks>
/// Why not one COPY per shard per 100 messages, as before: a silo killed mid-send takes with it every message its shards
/// sent but had not yet recorded, and their restarts send those again. With 100 per record and 8 shards in flight a kill
/// cost about 400 duplicates (measured by benchmarks/chaos.sh, docs/benchmarks.md "Chaos"); recorded as they happen, it
/// costs what was sent during the last commit or so. The shard still waits for its outcomes every 100 messages, so a
/// ledger that cannot be written stops it within that many sends.
/// </remarks>
public sealed partial class OutcomeRecorder : IAsyncDisposable
{
    /// <summary>COPYs in flight at once: two, so a batch gathers while the other commits and one slow commit holds nobody up.</summary>
    public const int Writers = 2;

    /// <summary>The most outcomes one COPY carries.</summary>
    public const int MaxBatch = 2000;

    private readonly IDeliveryLedger _ledger;
    private readonly ILogger<OutcomeRecorder> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;
    private long _batches;

    public OutcomeRecorder(IDeliveryLedger ledger, ILogger<OutcomeRecorder> logger)
    {
        _ledger = ledger;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Ledger writes so far (one per batch), to show that concurrent sends share them.</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues one outcome; the task completes once it is in the ledger, or fails with the ledger's error (then it is not).
    /// Once queued the outcome is written even if the caller goes away: it describes a message that has already left.
    /// </summary>
    public Task RecordAsync(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var pending = new Pending(outcome);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Done.Task;
    }

    /// <summary>Stops taking outcomes, writes those already queued (a silo shutting down keeps what it sent), and waits for the writers.</summary>
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

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                Interlocked.Increment(ref _batches);
                await _ledger.RecordAsync([.. batch.Select(p => p.Outcome)], CancellationToken.None);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                // Nothing of the batch is known to be written: every shard waiting on it hears so and stops.
                LogBatchFailed(_logger, ex, batch.Count);
                batch.ForEach(p => p.Done.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} delivery outcomes could not be written to the ledger")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(DeliveryOutcome outcome)
    {
        public DeliveryOutcome Outcome { get; } = outcome;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
