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
    [property: Id(2)] IReadOnlyList<string>? Groups = null,
    [property: Id(3)] bool EveryRegisteredAddress = false)
{
    public static Audience WholeSchool { get; } = new([], []);

    public bool IsWholeSchool => Grades.Count == 0 && Classes.Count == 0 && (Groups is null || Groups.Count == 0);

    /// <summary>Hot path (once per snapshot entry per broadcast): plain loops, no lambda captures, no allocation.</summary>
    public bool Includes(int grade, string className, IReadOnlyList<string>? groupIds = null)
    {
        if (IsWholeSchool)
        {
            return true;
        }

        for (var i = 0; i < Grades.Count; i++)
        {
            if (Grades[i] == grade)
            {
                return true;
            }
        }

        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i].Grade == grade && string.Equals(Classes[i].Class, className, StringComparison.Ordinal))
            {
                return true;
            }
        }

        if (Groups is { Count: > 0 } && groupIds is { Count: > 0 })
        {
            for (var i = 0; i < groupIds.Count; i++)
            {
                for (var j = 0; j < Groups.Count; j++)
                {
                    if (string.Equals(Groups[j], groupIds[i], StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

/// <summary>One class of one grade, named as the school names it ("1", "2", "A", "ひまわり").</summary>
[GenerateSerializer, Immutable, Alias("pta.class-ref")]
public sealed record ClassRef([property: Id(0)] int Grade, [property: Id(1)] string Class);
