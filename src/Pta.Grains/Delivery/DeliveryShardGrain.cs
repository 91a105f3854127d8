using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Persistence;
using Pta.Grains.Shaping;
using Pta.Grains.Telemetry;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: sends one slice of a broadcast. The content is fetched once and encoded once; each
/// recipient costs one small MimeMessage and one pooled SMTP transaction; each outcome goes to the ledger as
/// soon as its send returns (group-committed with the silo's other shards by <see cref="OutcomeRecorder"/>),
/// and the broadcast hears a progress report every 100 messages and a final one. Placed at random (not next to the
/// broadcast that creates it), so the shards of one broadcast spread over every silo of the cluster.
/// </summary>
/// <remarks>
/// A silo can die at any moment (benchmarks/chaos.sh kills them). The shard therefore never lets a failed call to
/// another grain (the broadcast, a carrier's rate grain) throw away sends that have happened: outcomes are recorded
/// per message, progress reports are best effort, and the final report is retried until the broadcast, re-activated
/// elsewhere, takes it (DeliveryShardGrain.Reports.cs).
/// </remarks>
[RandomPlacement]
public sealed partial class DeliveryShardGrain(
    [PersistentState("shard", StorageNames.State)] IPersistentState<DeliveryShardState> state,
    IMailTransport transport,
    IDeliveryLedger ledger,
    IAudienceStore audienceStore,
    OutcomeRecorder recorder,
    IShardLeases leases,
    CarrierThrottle throttle,
    DkimSigning dkim,
    ConfirmationLinks confirmationLinks,
    PtaMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider,
    Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    ILogger<DeliveryShardGrain> logger) : Grain, IDeliveryShardGrain
{
    /// <summary>
    /// Messages between two progress reports, and between two waits for the ledger to confirm this shard's outcomes of
    /// the batch before: a shard whose ledger writes fail sends at most two such batches. (A crash costs far fewer:
    /// outcomes are written as they come.)
    /// </summary>
    private const int ReportEvery = 100;

    /// <summary>This activation's outcomes handed to the recorder during the batch being sent, and during the one before.</summary>
    private RecordingGroup _unconfirmed = new();
    private RecordingGroup? _previousBatch;

    /// <summary>How soon a shard stopped by a database outage tries again.</summary>
    private static readonly TimeSpan ResumeDelay = TimeSpan.FromSeconds(5);

    private bool _running;
    private string _broadcastId = "";
    private int _shardIndex;

    /// <summary>Set when the broadcast is cancelled: each sender looks before its next message.</summary>
    private volatile bool _cancelled;

    /// <summary>
    /// The silo is shutting down (an operator's <c>pta-silo.sh stop</c>): stop after the messages in flight, let their
    /// outcomes reach the ledger and leave the rest to an activation elsewhere, which the broadcast starts within
    /// seconds. Without it a shard went on sending, kept the silo from stopping and was cut off by the shutdown timeout.
    /// </summary>
    private bool SiloStopping => lifetime.ApplicationStopping.IsCancellationRequested;
    private readonly CancellationTokenSource _cancellation = new();

    public Task CancelAsync()
    {
        _cancelled = true;
        _cancellation.Cancel(); // wakes a shard waiting to retry its deferred recipients
        return Task.CompletedTask;
    }

    public Task StartAsync(string broadcastId, int shardIndex)
    {
        if (!_running)
        {
            _running = true;
            _broadcastId = broadcastId;
            _shardIndex = shardIndex;

            // A timer, not an awaited call: the broadcast that calls StartAsync must not wait for the sends,
            // and Interleave lets a repeated StartAsync through while this one is sending.
            this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan)
            {
                Interleave = true,
                KeepAlive = true,
            });
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var again = false;
        using var span = PtaActivities.Source.StartActivity("shard.run");
        span?.SetTag("pta.broadcast.id", _broadcastId);
        span?.SetTag("pta.shard.index", _shardIndex);
        metrics.ShardStarted();
        try
        {
            var broadcast = GrainFactory.GetGrain<IBroadcastGrain>(_broadcastId);
            if (state.State.FinalCounts is null)
            {
                await SendAllAsync(broadcast, cancellationToken);
            }

            if (state.State.FinalCounts is { } counts)
            {
                await ReportFinalAsync(broadcast, new ShardReport(_shardIndex, counts, state.State.FinalByCarrier), cancellationToken);
            }
        }
        catch (Exception ex) when (TransientRetry.IsOutage(ex) && !_cancelled && !cancellationToken.IsCancellationRequested)
        {
            // The database went away mid-send: try again shortly rather than wait for the broadcast's watchdog.
            // What the ledger already has as sent is skipped on the next run.
            LogResuming(logger, this.GetPrimaryKeyString(), ex.GetType().Name, ResumeDelay);
            again = true;
            this.RegisterGrainTimer(RunAsync, new GrainTimerCreationOptions(ResumeDelay, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
        finally
        {
            metrics.ShardStopped();
            _running = again;
        }
    }

    private async Task SendAllAsync(IBroadcastGrain broadcast, CancellationToken cancellationToken)
    {
        // Null: the broadcast was never committed (a start raced a failed submission); there is nothing to send.
        if (await broadcast.GetShardContentAsync(_shardIndex) is not { } content)
        {
            return;
        }

        if (!await ClaimLeaseAsync(cancellationToken))
        {
            this.DeactivateOnIdle(); // a second activation: the one that holds the lease sends, and reports
            return;
        }

        var composer = new MessageComposer(content, dkim, confirmationLinks);
        var recipients = await audienceStore.LoadAsync(_broadcastId, _shardIndex, cancellationToken);
        var tally = new ShardTally(recipients);

        // A new activation after a crash skips whoever the ledger already has as sent. A run of this activation that
        // ended on an error first lets its own outcomes reach the ledger, so that it does not send them again.
        await ConfirmRecordedAsync(ignoreFailures: true);
        var alreadySent = await ledger.SentKeysAsync(_broadcastId, _shardIndex, cancellationToken);
        LogStarting(logger, this.GetPrimaryKeyString(), recipients.Count, alreadySent.Count);
        foreach (var key in alreadySent)
        {
            tally.Record(key, SendResult.Sent("recorded as sent before a restart"), 1);
        }

        var pending = recipients.Where(r => !alreadySent.Contains(r.Key)).ToList();
        var delays = options.Value.RetryDelaysFor(content.Category);
        var expiresAt = content.AcceptedAt + options.Value.RetryExpiry;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            foreach (var batch in pending.Chunk(ReportEvery))
            {
                await SendBatchAsync(batch, composer, SendLanes.For(content.Category), attempt, tally, content.AcceptedAt, cancellationToken);
                await ConfirmRecordedAsync(ignoreFailures: false, previousBatchOnly: true); // a ledger that cannot be written stops the shard here
                ReportProgress(broadcast, tally);
                if (_cancelled || _leaseLost || SiloStopping)
                {
                    break;
                }
            }

            // Every outcome of this attempt is in the ledger before the next attempt, or an expiry, adds rows after it.
            await ConfirmRecordedAsync(ignoreFailures: false);
            pending = [.. pending.Where(r => tally.Tried(r.Key) && tally.Result(r.Key).Result.Status == DeliveryStatus.Deferred)];
            if (pending.Count == 0 || _cancelled || _leaseLost || SiloStopping)
            {
                break;
            }

            // The schedule's last delay repeats (the cap) until the deadline; past it the recipient has failed.
            var delay = delays.Count == 0 ? TimeSpan.MaxValue : delays[Math.Min(attempt - 1, delays.Count - 1)];
            if (delays.Count == 0 || timeProvider.GetUtcNow() + delay > expiresAt)
            {
                await ExpireAsync(pending, tally, attempt, cancellationToken);
                break;
            }

            LogRetrying(logger, this.GetPrimaryKeyString(), pending.Count, delay);
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancellation.Token, lifetime.ApplicationStopping);
                await Task.Delay(delay, timeProvider, wait.Token);
            }
            catch (OperationCanceledException) when (_cancelled || SiloStopping)
            {
                break; // cancelled while waiting: the deferred stay deferred, nobody is tried again
            }
        }

        if (_leaseLost || (SiloStopping && !_cancelled))
        {
            // The activation that took the lease over finishes the shard; on a silo shutting down, the one the broadcast
            // starts elsewhere once this one has let go of the lease (as it deactivates, not sending any more).
            if (SiloStopping)
            {
                LogStoppingWithSilo(logger, this.GetPrimaryKeyString());
            }

            return;
        }

        state.State.FinalCounts = tally.Counts();
        state.State.FinalByCarrier = tally.ByCarrier();
        await state.WriteStateAsync();
        await ReleaseLeaseAsync();
        await SuppressInvalidAsync(content, recipients, tally);
    }

    private async Task ExpireAsync(List<Recipient> pending, ShardTally tally, int attempts, CancellationToken cancellationToken)
    {
        foreach (var recipient in pending)
        {
            var last = tally.Result(recipient.Key).Result.Reply;
            tally.Record(recipient.Key, new SendResult(DeliveryStatus.Failed, $"expired: still deferred at the retry deadline; last reply: {last}"), attempts);
            metrics.Delivered(GuardianAddress.Classify(recipient.Address), DeliveryStatus.Failed, TimeSpan.Zero);
        }

        await ledger.RecordAsync([.. pending.Select(r => Outcome(r, tally.Result(r.Key)))], cancellationToken);
        LogExpired(logger, this.GetPrimaryKeyString(), pending.Count);
    }

    private async Task SendBatchAsync(
        Recipient[] batch, MessageComposer composer, SendLane lane, int attempt, ShardTally tally, DateTimeOffset acceptedAt,
        CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            batch,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
            async (recipient, ct) =>
            {
                if (_cancelled || _leaseLost || SiloStopping)
                {
                    return; // cancelled, or another activation sends now: not tried, not recorded
                }

                SendResult result;
                var carrier = GuardianAddress.Classify(recipient.Address);
                try
                {
                    using var slot = await throttle.EnterAsync(carrier, ct); // the carrier's cluster-wide connections
                    await throttle.WaitAsync(carrier, ct); // the carrier's cluster-wide rate, when one is configured
                    var (message, envelope) = composer.ComposeWithEnvelope(recipient);
                    result = await transport.SendAsync(message, composer.Sender, envelope, lane, ct);
                    if (result.Status == DeliveryStatus.Deferred)
                    {
                        await throttle.DeferredAsync(carrier);
                    }
                    else if (result.Status == DeliveryStatus.InvalidAddress)
                    {
                        await throttle.UnknownUserAsync(carrier);
                    }
                }
                catch (FormatException ex)
                {
                    // An address the rules refuse (e.g. imported from an old system) fails alone, not the shard.
                    result = new SendResult(DeliveryStatus.InvalidAddress, ex.Message);
                }

                tally.Record(recipient.Key, result, attempt);
                metrics.Delivered(carrier, result.Status, timeProvider.GetUtcNow() - acceptedAt);
                recorder.Record(Outcome(recipient, (result, attempt)), _unconfirmed);
            });

    /// <summary>
    /// Addresses answered with "unknown user" are suppressed where the contact lives: self-registered guardians
    /// (gd-…) in their own grain, which then updates every school; imported contacts in the broadcast's school.
    /// </summary>
    private async Task SuppressInvalidAsync(BroadcastContent content, IReadOnlyList<Recipient> recipients, ShardTally tally)
    {
        var invalid = recipients.Where(r => tally.Tried(r.Key) && tally.Result(r.Key).Result.Status == DeliveryStatus.InvalidAddress).ToList();
        var imported = new List<Recipient>();
        foreach (var recipient in invalid)
        {
            if (Roster.SchoolGrain.ParseKey(recipient.Key) is var (guardianId, slot) && guardianId.StartsWith("gd-", StringComparison.Ordinal))
            {
                await GrainFactory.GetGrain<IGuardianGrain>(guardianId).MarkInvalidAsync(slot, recipient.Address);
            }
            else
            {
                imported.Add(recipient);
            }
        }

        if (imported.Count > 0 && content.SchoolId is { } schoolId)
        {
            await GrainFactory.GetGrain<ISchoolGrain>(schoolId).SuppressAsync(imported);
        }
    }

    private DeliveryOutcome Outcome(Recipient recipient, (SendResult Result, int Attempts) sent) =>
        new(_broadcastId, _shardIndex, recipient.Key, sent.Result.Status, sent.Attempts, sent.Result.Reply, timeProvider.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: {Count} recipients still deferred at the retry deadline, counted as failed")]
    private static partial void LogExpired(ILogger logger, string shard, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: the silo is shutting down; sent so far is in the ledger, the rest is left to another silo")]
    private static partial void LogStoppingWithSilo(ILogger logger, string shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: stopped by a database outage ({ExceptionType}), resuming in {Delay}")]
    private static partial void LogResuming(ILogger logger, string shard, string exceptionType, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: sending to {Recipients} recipients, {AlreadySent} of them recorded as sent before (a restart skips those)")]
    private static partial void LogStarting(ILogger logger, string shard, int recipients, int alreadySent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {Count} recipients deferred, retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string shard, int count, TimeSpan delay);
}
