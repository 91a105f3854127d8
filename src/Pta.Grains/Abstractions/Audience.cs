namespace Pta.Grains.Abstractions;

/// <summary>
/// Who a school broadcast goes to. Empty <see cref="Grades"/> and <see cref="Classes"/> mean the whole school;
/// otherwise a child matches when its grade is listed or its (grade, class) is listed.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.audience")]
public sealed record Audience(
    [property: Id(0)] IReadOnlyList<int> Grades,
    [property: Id(1)] IReadOnlyList<ClassRef> Classes)
{
    public static Audience WholeSchool { get; } = new([], []);

    public bool IsWholeSchool => Grades.Count == 0 && Classes.Count == 0;

    public bool Includes(int grade, string className) =>
        IsWholeSchool
        || Grades.Contains(grade)
        || Classes.Any(c => c.Grade == grade && string.Equals(c.Class, className, StringComparison.Ordinal));
}

/// <summary>One class of one grade, named as the school names it ("1", "2", "A", "ひまわり").</summary>
[GenerateSerializer, Immutable, Alias("pta.class-ref")]
public sealed record ClassRef([property: Id(0)] int Grade, [property: Id(1)] string Class);
