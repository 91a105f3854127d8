using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Pta.Grains.Abstractions;

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
    IOptions<DeliveryOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryShardGrain> logger) : Grain, IDeliveryShardGrain
{
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
        var pending = state.State.Recipients;
        var delays = options.Value.RetryDelays;
        for (var attempt = 1; ; attempt++)
        {
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = cancellationToken },
                async (recipient, ct) =>
                {
                    SendResult result;
                    try
                    {
                        var message = composer.Compose(recipient);
                        result = await transport.SendAsync(message, composer.Sender, MessageComposer.ToMailbox(recipient), ct);
                    }
                    catch (FormatException ex)
                    {
                        // An address the rules refuse (e.g. imported from an old system) fails alone, not the shard.
                        result = new SendResult(DeliveryStatus.InvalidAddress, ex.Message);
                    }

                    results[recipient.Key] = (result, attempt);
                });

            pending = [.. pending.Where(r => results[r.Key].Result.Status == DeliveryStatus.Deferred)];
            if (pending.Count == 0 || attempt > delays.Length)
            {
                break;
            }

            LogRetrying(logger, this.GetPrimaryKeyString(), pending.Count, delays[attempt - 1]);
            await Task.Delay(delays[attempt - 1], timeProvider, cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        var outcomes = state.State.Recipients
            .Select(r => results[r.Key])
            .Zip(state.State.Recipients, (x, r) => new DeliveryOutcome(
                state.State.BroadcastId, state.State.ShardIndex, r.Key, x.Result.Status, x.Attempts, x.Result.Reply, now))
            .ToList();
        await ledger.RecordAsync(outcomes, cancellationToken);

        var counts = new BroadcastCounts(
            outcomes.Count,
            outcomes.Count(o => o.Status == DeliveryStatus.Sent),
            outcomes.Count(o => o.Status == DeliveryStatus.Deferred),
            outcomes.Count(o => o.Status is DeliveryStatus.Failed or DeliveryStatus.InvalidAddress));
        state.State.FinalCounts = counts;
        await state.WriteStateAsync();
        return counts;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: {Count} recipients deferred, retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string shard, int count, TimeSpan delay);
}
