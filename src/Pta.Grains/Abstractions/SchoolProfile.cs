namespace Pta.Grains.Abstractions;

/// <summary>
/// A school as the board registered it: its sender identity is what guardians allow in carrier filters.
/// <see cref="ManagerAddress"/> is the mail manager's (the principal's) address: an operator's emergency send is
/// reported there.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.school-profile")]
public sealed record SchoolProfile(
    [property: Id(0)] string SchoolId,
    [property: Id(1)] string BoardId,
    [property: Id(2)] string Name,
    [property: Id(3)] string SenderAddress,
    [property: Id(4)] string SenderName,
    [property: Id(5)] string? ManagerAddress = null);
