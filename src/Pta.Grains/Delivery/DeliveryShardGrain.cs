using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: sends one slice of a broadcast. The content is fetched once and encoded once; each
/// recipient costs one small MimeMessage and one pooled SMTP transaction; outcomes go to the ledger in
/// one COPY per shard, and the broadcast hears one report per shard. Placed at random (not next to the
/// broadcast that creates it), so the shards of one broadcast spread over every silo of the cluster.
/// </summary>
[RandomPlacement]
public sealed partial class DeliveryShardGrain(
    [PersistentState("shard", StorageNames.State)] IPersistentState<DeliveryShardState> state,
    IMailTransport transport,
    IDeliveryLedger ledger,
    CarrierThrottle throttle,
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryShardGrain> logger) : Grain, IDeliveryShardGrain
{
    /// <summary>Messages sent between two ledger records: the most a crash can send twice.</summary>
    private const int RecordEvery = 100;

    private bool _running;

    public async Task AssignAsync(string broadcastId, int shardIndex, IReadOnlyList<Recipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (state.State.FinalCounts is not null || _running)
        {
            return; // already sent: a replayed submission must not change what went out
        }

        state.State.BroadcastId = broadcastId;
        state.State.ShardIndex = shardIndex;
        state.State.Recipients = [.. recipients];
        await state.WriteStateAsync();
    }

    public Task StartAsync()
    {
        if (!_running && state.State.Recipients.Count > 0)
        {
            _running = true;

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
        try
        {
            var counts = state.State.FinalCounts ?? await SendAllAsync(cancellationToken);
            var broadcast = GrainFactory.GetGrain<IBroadcastGrain>(state.State.BroadcastId);
            await broadcast.ReportShardAsync(new ShardReport(state.State.ShardIndex, counts));
        }
        finally
        {
            _running = false;
        }
    }

    private async Task<BroadcastCounts> SendAllAsync(CancellationToken cancellationToken)
    {
        var broadcast = GrainFactory.GetGrain<IBroadcastGrain>(state.State.BroadcastId);
        var content = await broadcast.GetContentAsync()
            ?? throw new InvalidOperationException($"Broadcast {state.State.BroadcastId} has no content.");
        var composer = new MessageComposer(content);
        var results = new ConcurrentDictionary<string, (SendResult Result, int Attempts)>();

        // A new activation after a crash skips whoever the ledger already has as sent.
        var alreadySent = await ledger.SentKeysAsync(state.State.BroadcastId, state.State.ShardIndex, cancellationToken);
        foreach (var key in alreadySent)
        {
            results[key] = (SendResult.Sent("recorded as sent before a restart"), 1);
        }

        var pending = state.State.Recipients.Where(r => !alreadySent.Contains(r.Key)).ToList();
        var delays = options.Value.RetryDelays;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            // Outcomes are recorded every RecordEvery messages, so a crash costs at most that many duplicates.
            foreach (var batch in pending.Chunk(RecordEvery))
            {
                await SendBatchAsync(batch, composer, SendLanes.For(content.Category), attempt, results, cancellationToken);
                await ledger.RecordAsync([.. batch.Select(r => Outcome(r, results[r.Key]))], cancellationToken);
            }

            pending = [.. pending.Where(r => results[r.Key].Result.Status == DeliveryStatus.Deferred)];
            if (pending.Count == 0 || attempt > delays.Length)
            {
                break;
            }

            LogRetrying(logger, this.GetPrimaryKeyString(), pending.Count, delays[attempt - 1]);
            await Task.Delay(delays[attempt - 1], timeProvider, cancellationToken);
        }

        var statuses = state.State.Recipients.Select(r => results[r.Key].Result.Status).ToList();
        var counts = new BroadcastCounts(
            statuses.Count,
            statuses.Count(s => s == DeliveryStatus.Sent),
            statuses.Count(s => s == DeliveryStatus.Deferred),
            statuses.Count(s => s is DeliveryStatus.Failed or DeliveryStatus.InvalidAddress));
        state.State.FinalCounts = counts;
        await state.WriteStateAsync();
        await SuppressInvalidAsync(content, results);
        return counts;
    }

    private async Task SendBatchAsync(
        Recipient[] batch, MessageComposer composer, SendLane lane, int attempt, ConcurrentDictionary<string, (SendResult Result, int Attempts)> results, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            batch,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
            async (recipient, ct) =>
            {
                SendResult result;
                var carrier = GuardianAddress.Classify(recipient.Address);
                try
                {
                    await throttle.WaitAsync(carrier, ct); // the carrier's cluster-wide rate, when one is configured
                    var message = composer.Compose(recipient);
                    result = await transport.SendAsync(message, composer.Sender, MessageComposer.ToMailbox(recipient), lane, ct);
                    if (result.Status == DeliveryStatus.Deferred)
                    {
                        await throttle.DeferredAsync(carrier);
                    }
                }
                catch (FormatException ex)
                {
                    // An address the rules refuse (e.g. imported from an old system) fails alone, not the shard.
                    result = new SendResult(DeliveryStatus.InvalidAddress, ex.Message);
                }

                results[recipient.Key] = (result, attempt);
            });

    /// <summary>
    /// Addresses answered with "unknown user" are suppressed where the contact lives: self-registered guardians
    /// (gd-…) in their own grain, which then updates every school; imported contacts in the broadcast's school.
    /// </summary>
    private async Task SuppressInvalidAsync(BroadcastContent content, ConcurrentDictionary<string, (SendResult Result, int Attempts)> results)
    {
        var invalid = state.State.Recipients
            .Where(r => results.TryGetValue(r.Key, out var x) && x.Result.Status == DeliveryStatus.InvalidAddress)
            .ToList();
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
        new(state.State.BroadcastId, state.State.ShardIndex, recipient.Key, sent.Result.Status, sent.Attempts, sent.Result.Reply, timeProvider.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {Count} recipients deferred, retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string shard, int count, TimeSpan delay);
}
