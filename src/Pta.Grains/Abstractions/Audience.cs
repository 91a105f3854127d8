namespace Pta.Grains.Abstractions;

/// <summary>
/// Who a school broadcast goes to. Empty <see cref="Grades"/>, <see cref="Classes"/> and <see cref="Groups"/> mean
/// the whole school; otherwise a child matches when its grade, its (grade, class) or one of its groups (clubs,
/// committees) is listed.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.audience")]
public sealed record Audience(
    [property: Id(0)] IReadOnlyList<int> Grades,
    [property: Id(1)] IReadOnlyList<ClassRef> Classes,
    [property: Id(2)] IReadOnlyList<string>? Groups = null)
{
    public static Audience WholeSchool { get; } = new([], []);

    public bool IsWholeSchool => Grades.Count == 0 && Classes.Count == 0 && (Groups is null || Groups.Count == 0);

    public bool Includes(int grade, string className, IReadOnlyList<string>? groupIds = null) =>
        IsWholeSchool
        || Grades.Contains(grade)
        || Classes.Any(c => c.Grade == grade && string.Equals(c.Class, className, StringComparison.Ordinal))
        || (Groups is { Count: > 0 } && groupIds is { Count: > 0 } && groupIds.Any(Groups.Contains));
}

/// <summary>One class of one grade, named as the school names it ("1", "2", "A", "ひまわり").</summary>
[GenerateSerializer, Immutable, Alias("pta.class-ref")]
public sealed record ClassRef([property: Id(0)] int Grade, [property: Id(1)] string Class);
