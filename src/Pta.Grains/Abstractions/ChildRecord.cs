namespace Pta.Grains.Abstractions;

/// <summary>
/// One child's registration at a school (seed 002: each child separately, so siblings in other grades get
/// their grade's mail). The name is as the school's roster has it; at most three guardians.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.child-record")]
public sealed record ChildRecord(
    [property: Id(0)] string ChildId,
    [property: Id(1)] string Name,
    [property: Id(2)] int Grade,
    [property: Id(3)] string Class,
    [property: Id(4)] IReadOnlyList<string> GuardianIds,
    [property: Id(5)] IReadOnlyList<string>? GroupIds = null)
{
    public const int MaxGuardians = 3;
}
