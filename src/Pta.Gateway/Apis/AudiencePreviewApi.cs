using System.Globalization;
using System.Security.Claims;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/schools/{schoolId}/audience</c>: how many households and addresses a school broadcast to an audience
/// would reach, and the school's classes and groups to pick from. The console asks it on every change of the audience
/// picker (the live recipient count). The count comes from the school grain's own resolution, the one a submitted
/// broadcast uses, so the preview and the send cannot disagree. Counts and class names only: no guardian data.
/// </summary>
public static class AudiencePreviewApi
{
    public static RouteHandlerBuilder MapAudiencePreviewApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/schools/{schoolId}/audience", PreviewAsync)
            .RequireAuthorization()
            .WithTags("Console")
            .WithName("PreviewAudience")
            .WithSummary("Households and addresses a school broadcast would reach (?grade=1&grade=2&class=3-2&group=soccer-club; none = the whole school), " +
                         "and the school's classes and groups")
            .Produces<AudiencePreview>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<IResult> PreviewAsync(
        string schoolId, string[]? grade, string[]? @class, string[]? group, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await RosterApi.ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var errors = new Dictionary<string, string[]>();
        var audience = Parse(grade ?? [], @class ?? [], group ?? [], errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var recipients = school.ResolveAudienceAsync(audience);
        var roster = school.GetRosterAsync();
        var groups = school.GetGroupsAsync();
        var households = (await recipients).Select(r => Ids.HouseholdOf(r.Key)).Distinct(StringComparer.Ordinal).Count();
        var classes = (await roster).Children
            .GroupBy(c => (c.Grade, c.Class))
            .OrderBy(g => g.Key.Grade).ThenBy(g => g.Key.Class, StringComparer.Ordinal)
            .Select(g => new AudienceClass(g.Key.Grade, g.Key.Class, g.Count()))
            .ToList();
        return TypedResults.Ok(new AudiencePreview(households, (await recipients).Count, classes, await groups));
    }

    /// <summary>The query as the broadcast's audience; each bad value is reported under its parameter's name.</summary>
    private static Audience Parse(string[] grades, string[] classes, string[] groups, Dictionary<string, string[]> errors)
    {
        var gradeList = new List<int>();
        foreach (var value in grades)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var g) && IsGrade(g))
            {
                gradeList.Add(g);
            }
            else
            {
                errors["grade"] = [$"A grade is a number between {BroadcastRequestValidator.MinGrade} and {BroadcastRequestValidator.MaxGrade}."];
            }
        }

        var classList = new List<ClassRef>();
        foreach (var value in classes)
        {
            // "3-2": grade 3, class "2". The class name is everything after the first hyphen, so "1-A-2" is class "A-2".
            var dash = value.IndexOf('-', StringComparison.Ordinal);
            var classErrors = new Dictionary<string, string[]>();
            if (dash > 0 && int.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var g) && IsGrade(g))
            {
                TextRules.Check(classErrors, "class", value[(dash + 1)..], BroadcastRequestValidator.MaxClassNameLength, allowLineBreaks: false);
                if (classErrors.Count == 0)
                {
                    classList.Add(new ClassRef(g, value[(dash + 1)..]));
                    continue;
                }
            }

            errors["class"] = ["A class is written grade-name, e.g. 3-2 or 1-A: " + string.Join(" ", classErrors.Values.SelectMany(v => v))];
        }

        foreach (var value in groups.Where(v => !Ids.IsValid(v)))
        {
            errors["group"] = [$"'{value}' is not a group id (lower-case letters, digits and hyphens, starting with a letter)."];
        }

        if (grades.Length + classes.Length + groups.Length > BroadcastRequestValidator.MaxAudienceItems)
        {
            errors["audience"] = [$"At most {BroadcastRequestValidator.MaxAudienceItems} grades, classes and groups."];
        }

        return new Audience(
            [.. gradeList.Distinct().Order()],
            [.. classList.Distinct()],
            groups.Length == 0 ? null : [.. groups.Distinct().Order(StringComparer.Ordinal)]);
    }

    private static bool IsGrade(int grade) => grade is >= BroadcastRequestValidator.MinGrade and <= BroadcastRequestValidator.MaxGrade;
}

/// <summary>What an audience would reach, and what the school's audience picker offers.</summary>
/// <param name="Households">Guardians with at least one broadcast address in the audience (one confirmation each).</param>
/// <param name="Addresses">Mails the broadcast would send: every broadcast address once.</param>
/// <param name="Classes">The school's classes with their number of children, by grade then class.</param>
/// <param name="Groups">The school's custom groups.</param>
public sealed record AudiencePreview(int Households, int Addresses, IReadOnlyList<AudienceClass> Classes, IReadOnlyList<SchoolGroup> Groups);

/// <summary>One class of the school and how many children it has.</summary>
public sealed record AudienceClass(int Grade, string Class, int Children);
