namespace Pta.Grains.Abstractions;

/// <summary>
/// A custom group of a school beyond grade and class: a club, a committee, a bus route (seed 001: unlimited
/// groups per school). Members are children; a broadcast to the group reaches their guardians.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.school-group")]
public sealed record SchoolGroup(
    [property: Id(0)] string GroupId,
    [property: Id(1)] string Name,
    [property: Id(2)] int Children);
