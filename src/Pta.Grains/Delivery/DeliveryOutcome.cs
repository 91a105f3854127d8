namespace Pta.Grains.Delivery;

/// <summary>One row of the delivery ledger: the result of the last attempt for one recipient of one broadcast.</summary>
public sealed record DeliveryOutcome(
    string BroadcastId,
    int ShardIndex,
    string RecipientKey,
    DeliveryStatus Status,
    int Attempts,
    string? Reply,
    DateTimeOffset RecordedAt);
