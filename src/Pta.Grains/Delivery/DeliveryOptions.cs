using System.ComponentModel.DataAnnotations;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>How a broadcast is cut into shards and how a shard sends.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Pta:Delivery";

    /// <summary>Recipients per shard: large enough to amortise a grain and a COPY, small enough to spread over silos.</summary>
    [Range(1, 100_000)]
    public int ShardSize { get; set; } = 500;

    /// <summary>
    /// Shards of one broadcast sending at once per active silo (the window grows and shrinks with the cluster). The
    /// rest start as these finish, each placed afresh, so a silo added during a send takes a share within seconds,
    /// and a million-recipient audience is never all in memory.
    /// </summary>
    [Range(1, 1_000)]
    public int ShardsInFlightPerSilo { get; set; } = 8;

    /// <summary>
    /// Messages a shard has in flight at once. Shards in flight × this should be about twice a silo's SMTP connections:
    /// enough to keep every connection busy while a shard records its outcomes, few enough that sends do not queue for
    /// the pool (measured in docs/benchmarks.md: 256 senders for 16 connections cost about a quarter of the rate).
    /// </summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// Waits before each retry of a deferred recipient of an emergency or safety broadcast; the last one repeats (the
    /// cap) until <see cref="RetryExpiry"/>. The first comes within a minute: an evacuation notice an hour late is useless.
    /// </summary>
    public TimeSpan[] UrgentRetryDelays { get; set; } =
        [TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)];

    /// <summary>The same for info and test broadcasts, gentler on a carrier that is already deferring.</summary>
    public TimeSpan[] RetryDelays { get; set; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)];

    /// <summary>
    /// How long after acceptance a deferred recipient is still tried; then it counts as failed ("expired"). Measured
    /// from the broadcast's acceptance, so a shard restarted on another silo keeps the same deadline.
    /// </summary>
    public TimeSpan RetryExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The retry schedule for a category.</summary>
    public IReadOnlyList<TimeSpan> RetryDelaysFor(BroadcastCategory category) =>
        category is BroadcastCategory.Emergency or BroadcastCategory.Safety ? UrgentRetryDelays : RetryDelays;
}
