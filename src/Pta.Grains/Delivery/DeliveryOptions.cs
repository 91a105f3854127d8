using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Delivery;

/// <summary>How a broadcast is cut into shards and how a shard sends.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Pta:Delivery";

    /// <summary>Recipients per shard: large enough to amortise a grain and a COPY, small enough to spread over silos.</summary>
    [Range(1, 100_000)]
    public int ShardSize { get; set; } = 500;

    /// <summary>Messages a shard has in flight at once.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>Waits before each retry of a deferred recipient within the shard.</summary>
    public TimeSpan[] RetryDelays { get; set; } = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];
}
