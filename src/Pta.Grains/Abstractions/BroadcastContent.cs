namespace Pta.Grains.Abstractions;

/// <summary>
/// The content of a broadcast, stored once in the broadcast grain and fetched once per shard;
/// only the personal parts (To, Message-ID and, when <see cref="RequestsConfirmation"/>, the personal confirmation
/// link) are written per recipient. A follow-up (a re-send to the unconfirmed) names the broadcast its links confirm
/// in <see cref="ConfirmsBroadcastId"/>; otherwise a link confirms <see cref="BroadcastId"/> itself.
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
    [property: Id(7)] string? SchoolId = null,
    [property: Id(8)] bool RequestsConfirmation = false,
    [property: Id(9)] string? ConfirmsBroadcastId = null)
{
    /// <summary>The broadcast a confirmation link in this content confirms.</summary>
    public string ConfirmationTarget => ConfirmsBroadcastId ?? BroadcastId;
}
