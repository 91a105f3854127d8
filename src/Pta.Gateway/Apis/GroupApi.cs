using System.Security.Claims;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>A school's custom groups (clubs, committees, bus routes): any number, addressed by broadcasts as <c>audience.groups</c>.</summary>
public static class GroupApi
{
    public const int MaxGroupNameLength = 50;
    public const int MaxGroupChildren = 5000;

    public static RouteGroupBuilder MapGroupApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/schools/{schoolId}/groups").RequireAuthorization().WithTags("Roster");
        api.MapGet("/", ListAsync).WithName("ListGroups").WithSummary("The school's custom groups and their sizes")
            .Produces<IReadOnlyList<SchoolGroup>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{groupId}", PutAsync).WithName("PutGroup")
            .WithSummary("Create or replace a custom group with exactly the given children")
            .Accepts<GroupRequest>("application/json").Produces<SchoolGroup>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{groupId}", DeleteAsync).WithName("DeleteGroup").WithSummary("Remove a custom group")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> ListAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains) =>
        await RosterApi.ReachableSchoolAsync(schoolId, user, grains) is { } school
            ? TypedResults.Ok(await school.GetGroupsAsync())
            : Problems.NotFound("school");

    internal static async Task<IResult> PutAsync(string schoolId, string groupId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await RosterApi.ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<GroupRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (!Ids.IsValid(groupId))
        {
            errors["groupId"] = ["Lower-case letters, digits and hyphens, starting with a letter, at most 64."];
        }

        TextRules.Check(errors, "name", request!.Name, MaxGroupNameLength, allowLineBreaks: false);
        var children = request.ChildIds ?? [];
        if (children.Count > MaxGroupChildren)
        {
            errors["childIds"] = [$"At most {MaxGroupChildren} children."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (await school.PutGroupAsync(groupId, request.Name!.Trim(), children) is not { } group)
        {
            return Problems.Invalid(new() { ["childIds"] = ["Every child id must be a child of this school."] });
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "group.put", schoolId,
            $"{groupId}: {group.Children} children"), cancellationToken);
        return TypedResults.Ok(group);
    }

    internal static async Task<IResult> DeleteAsync(string schoolId, string groupId, ClaimsPrincipal user, IGrainFactory grains) =>
        await RosterApi.ReachableSchoolAsync(schoolId, user, grains) is { } school && await school.RemoveGroupAsync(groupId)
            ? TypedResults.NoContent()
            : Problems.NotFound("group");
}

/// <summary>A group: its name and, whole, its children.</summary>
public sealed record GroupRequest(string? Name, IReadOnlyList<string>? ChildIds);
