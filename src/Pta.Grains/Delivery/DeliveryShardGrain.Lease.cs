using Microsoft.Extensions.Logging;

namespace Pta.Grains.Delivery;

/// <summary>
/// The shard's lease (<see cref="IShardLeases"/>): claimed before the first send, renewed while sending, released at
/// the end. Orleans may briefly run a second activation of a shard after a silo dies (measured in benchmarks/chaos.sh:
/// two live silos sending the same shard a second apart); without the lease both would send every remaining recipient.
/// </summary>
public sealed partial class DeliveryShardGrain
{
    /// <summary>A lease not renewed for this long passes to another activation: its holder stopped without releasing it.</summary>
    private static readonly TimeSpan LeaseExpiry = TimeSpan.FromSeconds(30);

    /// <summary>How often a sending shard renews its lease: three times within <see cref="LeaseExpiry"/>.</summary>
    private static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(10);

    private readonly Guid _activation = Guid.NewGuid();
    private ShardLease? _lease;
    private IGrainTimer? _leaseTimer;

    /// <summary>Set when another activation has taken the lease over: each sender looks before its next message.</summary>
    private volatile bool _leaseLost;

    /// <summary>A shard that is not sending gives its lease up as it deactivates; one still sending keeps it until it expires.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_running)
        {
            await ReleaseLeaseAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Takes the lease for this activation, or logs who holds it and returns false.</summary>
    private async Task<bool> ClaimLeaseAsync(CancellationToken cancellationToken)
    {
        var silo = GrainContext.Address.SiloAddress!;
        _lease ??= new ShardLease(_broadcastId, _shardIndex, silo.Endpoint.Address.ToString(), silo.Endpoint.Port, silo.Generation, _activation);
        if (!await leases.ClaimAsync(_lease, LeaseExpiry, cancellationToken))
        {
            LogLeaseHeld(logger, this.GetPrimaryKeyString());
            return false;
        }

        _leaseLost = false;
        _leaseTimer ??= this.RegisterGrainTimer(RenewLeaseAsync, new GrainTimerCreationOptions(LeaseRenewal, LeaseRenewal) { Interleave = true });
        return true;
    }

    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        if (_lease is null || _leaseLost)
        {
            return;
        }

        try
        {
            if (!await leases.RenewAsync(_lease, cancellationToken))
            {
                _leaseLost = true;
                LogLeaseLost(logger, this.GetPrimaryKeyString());
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is out of reach: the ledger writes fail too and stop the shard; the lease expires meanwhile.
            LogLeaseRenewalFailed(logger, this.GetPrimaryKeyString(), ex.GetType().Name);
        }
    }

    private async Task ReleaseLeaseAsync()
    {
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        if (_lease is null || _leaseLost)
        {
            return;
        }

        try
        {
            await leases.ReleaseAsync(_lease, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLeaseRenewalFailed(logger, this.GetPrimaryKeyString(), ex.GetType().Name); // it expires instead
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {Shard}: another activation holds the lease and sends; this one stands down")]
    private static partial void LogLeaseHeld(ILogger logger, string shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: another activation took the lease over; this one stops sending")]
    private static partial void LogLeaseLost(ILogger logger, string shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard}: the lease could not be renewed or released ({Kind})")]
    private static partial void LogLeaseRenewalFailed(ILogger logger, string shard, string kind);
}
