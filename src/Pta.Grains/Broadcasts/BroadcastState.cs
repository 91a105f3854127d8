using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>Persisted state of a broadcast grain. Per-recipient outcomes are not here but in the delivery ledger.</summary>
[GenerateSerializer, Alias("pta.broadcast-state")]
public sealed class BroadcastState
{
    [Id(0)] public BroadcastSubmission? Submission { get; set; }

    [Id(1)] public BroadcastContent? Content { get; set; }

    [Id(2)] public string BoardId { get; set; } = "";

    [Id(3)] public BroadcastStatus Status { get; set; }

    [Id(4)] public int RecipientCount { get; set; }

    [Id(5)] public int ShardCount { get; set; }

    /// <summary>Final tallies by shard index; a shard that reports again replaces its entry.</summary>
    [Id(6)] public Dictionary<int, BroadcastCounts> ShardCounts { get; set; } = [];

    [Id(7)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Every shard's school and sender, by index.</summary>
    [Id(8)] public List<ShardPlan> Shards { get; set; } = [];

    /// <summary>The audience per carrier, counted when it was frozen.</summary>
    [Id(9)] public Dictionary<Carrier, int> RecipientsByCarrier { get; set; } = [];

    /// <summary>Final tallies per carrier by shard index, for the progress view after the send.</summary>
    [Id(10)] public Dictionary<int, Dictionary<Carrier, BroadcastCounts>> ShardCarrierCounts { get; set; } = [];
}
