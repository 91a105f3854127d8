namespace Pta.Grains.Delivery;

/// <summary>
/// Per-recipient outcomes, written in bulk. Far too many for grain state (a city-wide alert has a
/// million), so they go to PostgreSQL with binary COPY in production and stay in memory in the embedded default.
/// </summary>
public interface IDeliveryLedger
{
    /// <summary>Appends a batch of outcomes in one round trip.</summary>
    Task RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// The recipients of one shard already recorded as sent: after a crash, a shard's new activation sends only
    /// to the others, so a restart costs at most the messages sent since the last record.
    /// </summary>
    Task<IReadOnlySet<string>> SentKeysAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken);

    /// <summary>The latest outcome per recipient of a broadcast.</summary>
    Task<IReadOnlyList<DeliveryOutcome>> ReadAsync(string broadcastId, CancellationToken cancellationToken);
}
