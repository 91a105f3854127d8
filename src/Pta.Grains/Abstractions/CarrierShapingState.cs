namespace Pta.Grains.Abstractions;

/// <summary>
/// Where a carrier's cluster-wide shaping stands: the share of its configured rate in use (1 = full, down to 0.1 after
/// deferrals), and, after a burst of unknown-user replies, until when it is paused.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.carrier-shaping-state")]
public sealed record CarrierShapingState(
    [property: Id(0)] string Carrier,
    [property: Id(1)] double RateFactor,
    [property: Id(2)] DateTimeOffset? PausedUntil,
    [property: Id(3)] int RecentUnknownUsers);
