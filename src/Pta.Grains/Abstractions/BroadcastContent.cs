namespace Pta.Grains.Abstractions;

/// <summary>
/// The content of a broadcast, stored once in the broadcast grain and fetched once per shard;
/// only the personal parts (To, Message-ID) are written per recipient.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-content")]
public sealed record BroadcastContent(
    [property: Id(0)] string BroadcastId,
    [property: Id(1)] string SenderAddress,
    [property: Id(2)] string SenderName,
    [property: Id(3)] string Subject,
    [property: Id(4)] string Body,
    [property: Id(5)] BroadcastCategory Category,
    [property: Id(6)] DateTimeOffset AcceptedAt,
    [property: Id(7)] string? SchoolId = null);
