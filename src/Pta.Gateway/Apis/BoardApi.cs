using System.Security.Claims;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>A board administers its schools: registers them with their sender identity and lists them.</summary>
public static class BoardApi
{
    public const int MaxSchoolNameLength = 100;
    public const int MaxSenderNameLength = 50;

    public static RouteGroupBuilder MapBoardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/boards/{boardId}").RequireAuthorization().WithTags("Board");
        api.MapGet("/schools", ListSchoolsAsync).WithName("ListSchools").WithSummary("The board's schools")
            .Produces<IReadOnlyList<SchoolProfile>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/schools/{schoolId}", PutSchoolAsync).WithName("PutSchool")
            .WithSummary("Register or update a school of the board: its name and the sender address guardians allow in their filters")
            .Accepts<SchoolRequest>("application/json").Produces<SchoolProfile>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    internal static async Task<IResult> ListSchoolsAsync(string boardId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await OwnBoardAsync(boardId, user, grains) is not { } board)
        {
            return Problems.NotFound("board");
        }

        var profiles = await Task.WhenAll(board.SchoolIds.Select(id => grains.GetGrain<ISchoolGrain>(id).GetProfileAsync()));
        return TypedResults.Ok(profiles.OfType<SchoolProfile>().ToList());
    }

    internal static async Task<IResult> PutSchoolAsync(string boardId, string schoolId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await OwnBoardAsync(boardId, context.User, grains) is not { } board)
        {
            return Problems.NotFound("board");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<SchoolRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (!Ids.IsValid(schoolId))
        {
            errors["schoolId"] = ["Lower-case letters, digits and hyphens, starting with a letter, at most 64."];
        }

        TextRules.Check(errors, "name", request!.Name, MaxSchoolNameLength, allowLineBreaks: false);
        TextRules.Check(errors, "senderName", request.SenderName, MaxSenderNameLength, allowLineBreaks: false);
        if (!GuardianAddress.TryNormalize(request.SenderAddress, out var sender, out var addressError))
        {
            errors["senderAddress"] = [addressError];
        }
        else if (sender.Contains('+', StringComparison.Ordinal) || sender.Split('@')[0] is var local && (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal)))
        {
            errors["senderAddress"] = ["A sender address must be a plain address (no '+', no leading, trailing or doubled dots)."];
        }

        string? manager = null;
        if (request.ManagerAddress is not null && !GuardianAddress.TryNormalize(request.ManagerAddress, out manager, out var managerError))
        {
            errors["managerAddress"] = [managerError];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var school = grains.GetGrain<ISchoolGrain>(schoolId);
        if (await school.GetProfileAsync() is { } existing && existing.BoardId != boardId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "School id taken",
                detail: "That school id belongs to another board.", extensions: new Dictionary<string, object?> { ["field"] = "schoolId" });
        }

        var profile = new SchoolProfile(schoolId, boardId, request.Name!.Trim(), sender, request.SenderName!.Trim(), manager);
        await school.ConfigureAsync(profile);
        await grains.GetGrain<IBoardGrain>(boardId).AddSchoolAsync(schoolId);

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "school.put", schoolId, null), cancellationToken);
        return TypedResults.Ok(profile);
    }

    internal static async Task<BoardProfile?> OwnBoardAsync(string boardId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = CallerGrant.From(user);
        return Ids.IsValid(boardId) && caller.Role == CredentialRole.Board && caller.BoardId == boardId
            ? await grains.GetGrain<IBoardGrain>(boardId).GetProfileAsync()
            : null;
    }
}

/// <summary>A school as the board registers it.</summary>
/// <param name="Name">The school's name.</param>
/// <param name="SenderAddress">The address its broadcasts come from (the one guardians allow in carrier filters).</param>
/// <param name="SenderName">The sender's display name.</param>
/// <param name="ManagerAddress">The mail manager's (principal's) address: an operator's emergency send is reported there. Optional.</param>
public sealed record SchoolRequest(string? Name, string? SenderAddress, string? SenderName, string? ManagerAddress = null);
