using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// Persisted state of a delivery shard: only its tallies once done, so a finished shard asked again reports them
/// without sending. Its recipients live in the audience store, its outcomes in the ledger.
/// </summary>
[GenerateSerializer, Alias("pta.delivery-shard-state")]
public sealed class DeliveryShardState
{
    [Id(3)] public BroadcastCounts? FinalCounts { get; set; }

    [Id(4)] public Dictionary<Carrier, BroadcastCounts>? FinalByCarrier { get; set; }
}
