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

    /// <summary>When sending started (follow-up delays count from here); null while awaiting approval or scheduled.</summary>
    [Id(11)] public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Who approved the draft (label), or null when it needed no approval.</summary>
    [Id(12)] public string? ApprovedBy { get; set; }

    /// <summary>An operator sent an emergency without approval and the principal has not acknowledged it yet.</summary>
    [Id(13)] public bool SentWithoutApproval { get; set; }

    /// <summary>The follow-up rounds started so far (each a broadcast of its own in <see cref="FollowUpIds"/> when it had anyone to send to).</summary>
    [Id(14)] public int FollowUpRounds { get; set; }

    [Id(15)] public List<string> FollowUpIds { get; set; } = [];

    /// <summary>Set on a follow-up: the broadcast whose unconfirmed households it re-sends to.</summary>
    [Id(16)] public string? FollowUpOf { get; set; }

    /// <summary>Why it ended as it did when that is not obvious (e.g. the audience was a single guardian at send time).</summary>
    [Id(17)] public string? Note { get; set; }
}
