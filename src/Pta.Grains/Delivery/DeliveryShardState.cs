using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>Persisted state of a delivery shard: its frozen recipient list and, once done, its tallies.</summary>
[GenerateSerializer, Alias("pta.delivery-shard-state")]
public sealed class DeliveryShardState
{
    [Id(0)] public string BroadcastId { get; set; } = "";

    [Id(1)] public int ShardIndex { get; set; }

    [Id(2)] public List<Recipient> Recipients { get; set; } = [];

    [Id(3)] public BroadcastCounts? FinalCounts { get; set; }
}
