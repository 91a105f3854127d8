namespace Pta.Grains.Abstractions;

/// <summary>A city education board (教育委員会), the tenant that owns its schools.</summary>
[GenerateSerializer, Immutable, Alias("pta.board-profile")]
public sealed record BoardProfile(
    [property: Id(0)] string BoardId,
    [property: Id(1)] string Name,
    [property: Id(2)] string SenderAddress,
    [property: Id(3)] IReadOnlyList<string> SchoolIds);
