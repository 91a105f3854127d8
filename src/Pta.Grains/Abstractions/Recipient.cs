namespace Pta.Grains.Abstractions;

/// <summary>
/// One address of one guardian in a broadcast's frozen audience. <see cref="Key"/> is stable per
/// (guardian, address slot) and, with the broadcast id, makes the Message-ID stable across retries.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.recipient")]
public sealed record Recipient([property: Id(0)] string Key, [property: Id(1)] string Address);
