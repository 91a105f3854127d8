using Microsoft.Extensions.Logging;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// What a shard tells others while silos come and go: its outcomes to the ledger (confirmed), its progress to the
/// broadcast (best effort) and its end (retried until heard).
/// </summary>
public sealed partial class DeliveryShardGrain
{
    /// <summary>How often the final report is tried while the broadcast cannot be reached: a minute, then the broadcast's watchdog asks again.</summary>
    private const int FinalReportAttempts = 60;

    private static readonly TimeSpan FinalReportRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The progress report still on its way, if any: a new one is sent only when it has arrived.</summary>
    private Task? _progressReport;

    /// <summary>
    /// Waits until outcomes this activation handed to the recorder are in the ledger: with
    /// <paramref name="previousBatchOnly"/> those of the batch before the one just sent (which have had a whole batch's
    /// time to commit, so the shard rarely waits), otherwise all of them. A write that failed throws, so the shard stops
    /// instead of sending more it cannot record (at most two batches); with <paramref name="ignoreFailures"/> (before
    /// reading the ledger at a start) a failed write only means those recipients count as not sent, and are sent again.
    /// </summary>
    private async Task ConfirmRecordedAsync(bool ignoreFailures, bool previousBatchOnly = false)
    {
        RecordingGroup?[] waitFor = previousBatchOnly ? [_previousBatch] : [_previousBatch, _unconfirmed];
        _previousBatch = previousBatchOnly ? _unconfirmed : null;
        _unconfirmed = new RecordingGroup();
        foreach (var group in waitFor)
        {
            try
            {
                await (group?.WhenRecordedAsync() ?? Task.CompletedTask);
            }
            catch (Exception) when (ignoreFailures)
            {
                // Logged by the recorder; the ledger read that follows decides who is sent again.
            }
        }
    }

    /// <summary>
    /// Sends the broadcast the shard's tallies unless the previous report is still on its way: the broadcast's silo may
    /// have just died, and sending must not wait for the cluster to notice. A lost progress report loses nothing; the
    /// next one or the final one replaces it.
    /// </summary>
    private void ReportProgress(IBroadcastGrain broadcast, ShardTally tally)
    {
        if (_progressReport is { IsCompleted: false })
        {
            return;
        }

        var report = new ShardReport(_shardIndex, tally.Counts(), tally.ByCarrier(), Final: false);
        _progressReport = SendProgressAsync(broadcast, report);
    }

    private async Task SendProgressAsync(IBroadcastGrain broadcast, ShardReport report)
    {
        try
        {
            await broadcast.ReportShardAsync(report);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            LogProgressLost(logger, this.GetPrimaryKeyString(), ex.GetType().Name);
        }
    }

    /// <summary>
    /// The final report, tried once a second while the broadcast cannot be reached (its silo died and the cluster has not
    /// yet declared it dead); the first call after that activates the broadcast on a live silo. After a minute the
    /// error goes up: the tallies stay in state and the broadcast's watchdog starts this shard again, which reports them.
    /// A shard being deactivated (its silo shutting down) stops trying; the next activation reports.
    /// </summary>
    private async Task ReportFinalAsync(IBroadcastGrain broadcast, ShardReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await broadcast.ReportShardAsync(report);
                return;
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException && attempt < FinalReportAttempts
                                       && !cancellationToken.IsCancellationRequested)
            {
                LogFinalReportRetry(logger, this.GetPrimaryKeyString(), attempt, ex.GetType().Name);
                await Task.Delay(FinalReportRetryDelay, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: a progress report did not arrive ({Kind}); the next one replaces it")]
    private static partial void LogProgressLost(ILogger logger, string shard, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: final report attempt {Attempt} failed ({Kind}); trying again")]
    private static partial void LogFinalReportRetry(ILogger logger, string shard, int attempt, string kind);
}
