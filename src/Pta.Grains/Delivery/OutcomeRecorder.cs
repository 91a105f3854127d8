using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pta.Grains.Persistence;
using Pta.Grains.Telemetry;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: the silo's one way into the delivery ledger while shards send, group-committed. A shard hands over each
/// outcome the moment its send returns; one writer loop takes what has gathered within <see cref="GatherWindow"/> of
/// the first outcome and appends it with one <see cref="IDeliveryLedger.RecordAsync"/> (one COPY in production). One
/// writer, not more: a second would only split the same outcomes into twice as many, smaller COPYs.
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
    /// <summary>The most outcomes one COPY carries.</summary>
    public const int MaxBatch = 2000;

    /// <summary>
    /// How long a writer lets outcomes gather before its COPY. Without it, at 2,000–4,000 messages/s a COPY carried a
    /// handful of rows and the 100,000-recipient fan-out cost the silo 39% and PostgreSQL 3.4 times more CPU (measured,
    /// docs/benchmarks.md "Chaos"); with it a COPY carries tens of rows. It is also what a crash can cost on top of the
    /// commit itself: at a silo's share of 1,250/s, about 4 messages sent again.
    /// </summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a batch waits for PostgreSQL to come back before its shards hear of the failure. Sent messages must be
    /// recorded, or a restart sends them again; meanwhile every shard stops at its next wait, so little piles up.
    /// </summary>
    public static readonly TimeSpan RecordPatience = TimeSpan.FromMinutes(10);

    private readonly IDeliveryLedger _ledger;
    private readonly ILogger<OutcomeRecorder> _logger;
    private readonly PtaMetrics? _metrics;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _batches;

    /// <summary>Outcomes queued and outcomes taken by the writer: their difference is the queue's depth (a single-reader channel cannot count).</summary>
    private long _queued;
    private long _taken;

    /// <param name="ledger">Where outcomes go.</param>
    /// <param name="logger">Reports batches that could not be written.</param>
    /// <param name="metrics">Queue depth and write durations (docs/operations.md "Metrics"); none in unit tests.</param>
    public OutcomeRecorder(IDeliveryLedger ledger, ILogger<OutcomeRecorder> logger, PtaMetrics? metrics = null)
    {
        _ledger = ledger;
        _logger = logger;
        _metrics = metrics;
        metrics?.Meter.CreateObservableGauge("pta.ledger.queue.depth", () => Volatile.Read(ref _queued) - Volatile.Read(ref _taken), "{outcome}",
            "Delivery outcomes sent but not yet written to the ledger (grows while PostgreSQL is slow or away)");
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Ledger writes so far (one per batch), to show that concurrent sends share them.</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues one outcome; <paramref name="group"/> tells its owner once it is in the ledger, or that it could not be
    /// written. Once queued the outcome is written even if the caller goes away: it describes a message that has left.
    /// </summary>
    public void Record(DeliveryOutcome outcome, RecordingGroup group)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(group);
        group.Added();
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(new Pending(outcome, group)))
        {
            Interlocked.Decrement(ref _queued);
            group.Recorded(new ObjectDisposedException(nameof(OutcomeRecorder)));
        }
    }

    /// <summary>Stops taking outcomes, writes those already queued (a silo shutting down keeps what it sent), and waits for the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            Drain(batch);
            if (batch.Count < MaxBatch)
            {
                await Task.Delay(GatherWindow);
                Drain(batch);
            }

            try
            {
                Interlocked.Increment(ref _batches);
                DeliveryOutcome[] outcomes = [.. batch.Select(p => p.Outcome)];
                var startedAt = Stopwatch.GetTimestamp();
                await TransientRetry.RunAsync(ct => _ledger.RecordAsync(outcomes, ct), RecordPatience, TimeProvider.System, CancellationToken.None);
                _metrics?.LedgerWritten(startedAt);
                batch.ForEach(p => p.Group.Recorded(null));
            }
            catch (Exception ex)
            {
                // Nothing of the batch is known to be written: every shard waiting on it hears so and stops.
                LogBatchFailed(_logger, ex, batch.Count);
                batch.ForEach(p => p.Group.Recorded(ex));
            }

            batch.Clear();
        }
    }

    private void Drain(List<Pending> batch)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
            Volatile.Write(ref _taken, _taken + 1); // the one writer
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} delivery outcomes could not be written to the ledger")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    private readonly record struct Pending(DeliveryOutcome Outcome, RecordingGroup Group);
}
