using System.Security.Claims;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Templates;

namespace Pta.Gateway.Apis;

/// <summary>
/// Broadcast templates (定型文) per board and school. A list shows the effective templates: built-in ← board ← school.
/// A board credential edits its board's templates and reads any of its schools'; a school's templates are edited
/// with that school's own credential (a board credential gets 403 there: the school owns its wording).
/// </summary>
public static class TemplateApi
{
    public static IEndpointRouteBuilder MapTemplateApi(this IEndpointRouteBuilder app)
    {
        var board = app.MapGroup("/api/v1/boards/{boardId}/templates").RequireAuthorization().WithTags("Templates");
        board.MapGet("", ListBoardAsync).WithName("ListBoardTemplates")
            .WithSummary("The board's effective templates: built-in ones, overridden or added to by the board")
            .Produces<IReadOnlyList<TemplateView>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        board.MapGet("/{templateId}", GetBoardAsync).WithName("GetBoardTemplate").WithSummary("One of the board's effective templates")
            .Produces<TemplateView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        board.MapPut("/{templateId}", PutBoardAsync).WithName("PutBoardTemplate")
            .WithSummary("Add a board template, or override a built-in one for every school of the board")
            .DescribesTemplateWrite();
        board.MapDelete("/{templateId}", DeleteBoardAsync).WithName("DeleteBoardTemplate")
            .WithSummary("Remove the board's own template (a built-in one with the same id shows again)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);

        var school = app.MapGroup("/api/v1/schools/{schoolId}/templates").RequireAuthorization().WithTags("Templates");
        school.MapGet("", ListSchoolAsync).WithName("ListSchoolTemplates")
            .WithSummary("The school's effective templates: built-in ← board ← school")
            .Produces<IReadOnlyList<TemplateView>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        school.MapGet("/{templateId}", GetSchoolAsync).WithName("GetSchoolTemplate").WithSummary("One of the school's effective templates")
            .Produces<TemplateView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        school.MapPut("/{templateId}", PutSchoolAsync).WithName("PutSchoolTemplate")
            .WithSummary("Add a school template, or override a built-in or board one for this school (school credential only)")
            .DescribesTemplateWrite().ProducesProblem(StatusCodes.Status403Forbidden);
        school.MapDelete("/{templateId}", DeleteSchoolAsync).WithName("DeleteSchoolTemplate")
            .WithSummary("Remove the school's own template (the inherited one shows again; school credential only)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The effective templates of a board (<paramref name="schoolId"/> null) or of one of its schools.</summary>
    internal static async Task<IReadOnlyList<EffectiveTemplate>> EffectiveAsync(IGrainFactory grains, string boardId, string? schoolId)
    {
        var board = grains.GetGrain<ITemplateSetGrain>(TemplateScope.Board(boardId)).ListAsync();
        var school = schoolId is null ? null : grains.GetGrain<ITemplateSetGrain>(TemplateScope.School(schoolId)).ListAsync();
        return TemplateCatalog.Effective(await board, school is null ? null : await school);
    }

    private static RouteHandlerBuilder DescribesTemplateWrite(this RouteHandlerBuilder route) =>
        route.Accepts<TemplateRequest>("application/json").Produces<TemplateView>().Produces<TemplateView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    internal static async Task<IResult> ListBoardAsync(string boardId, ClaimsPrincipal user, IGrainFactory grains) =>
        await BoardApi.OwnBoardAsync(boardId, user, grains) is { } board
            ? TypedResults.Ok((await EffectiveAsync(grains, board.BoardId, null)).Select(TemplateView.Of).ToList())
            : Problems.NotFound("board");

    internal static async Task<IResult> GetBoardAsync(string boardId, string templateId, ClaimsPrincipal user, IGrainFactory grains) =>
        await BoardApi.OwnBoardAsync(boardId, user, grains) is { } board
            ? await GetAsync(grains, board.BoardId, null, templateId)
            : Problems.NotFound("board");

    internal static async Task<IResult> PutBoardAsync(string boardId, string templateId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken) =>
        await BoardApi.OwnBoardAsync(boardId, context.User, grains) is { } board
            ? await PutAsync(TemplateScope.Board(board.BoardId), TemplateSource.Board, templateId, context, grains, audit, time, cancellationToken)
            : Problems.NotFound("board");

    internal static async Task<IResult> DeleteBoardAsync(string boardId, string templateId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time) =>
        await BoardApi.OwnBoardAsync(boardId, user, grains) is { } board
            ? await DeleteAsync(TemplateScope.Board(board.BoardId), templateId, user, grains, audit, time)
            : Problems.NotFound("board");

    internal static async Task<IResult> ListSchoolAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains) =>
        await ReachableSchoolAsync(schoolId, user, grains) is { } school
            ? TypedResults.Ok((await EffectiveAsync(grains, school.BoardId, school.SchoolId)).Select(TemplateView.Of).ToList())
            : Problems.NotFound("school");

    internal static async Task<IResult> GetSchoolAsync(string schoolId, string templateId, ClaimsPrincipal user, IGrainFactory grains) =>
        await ReachableSchoolAsync(schoolId, user, grains) is { } school
            ? await GetAsync(grains, school.BoardId, school.SchoolId, templateId)
            : Problems.NotFound("school");

    internal static async Task<IResult> PutSchoolAsync(string schoolId, string templateId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        return CallerGrant.From(context.User).Role == CredentialRole.School
            ? await PutAsync(TemplateScope.School(school.SchoolId), TemplateSource.School, templateId, context, grains, audit, time, cancellationToken)
            : SchoolStaffOnly(school);
    }

    internal static async Task<IResult> DeleteSchoolAsync(string schoolId, string templateId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        return CallerGrant.From(user).Role == CredentialRole.School
            ? await DeleteAsync(TemplateScope.School(school.SchoolId), templateId, user, grains, audit, time)
            : SchoolStaffOnly(school);
    }

    private static async Task<IResult> GetAsync(IGrainFactory grains, string boardId, string? schoolId, string templateId) =>
        (await EffectiveAsync(grains, boardId, schoolId)).FirstOrDefault(t => t.Template.TemplateId == templateId) is { } found
            ? TypedResults.Ok(TemplateView.Of(found))
            : Problems.NotFound("template");

    private static async Task<IResult> PutAsync(
        string scope, TemplateSource level, string templateId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, bodyError) = await RequestBodies.ReadJsonAsync<TemplateRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = TemplateValidator.Validate(templateId, request!, out var template);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await grains.GetGrain<ITemplateSetGrain>(scope).PutAsync(template!);
        if (outcome == TemplateWriteOutcome.Full)
        {
            return Problems.Unprocessable("Too many templates",
                $"At most {ITemplateSetGrain.MaxTemplates} templates of its own per board or school; remove one first.", "templateId");
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "template.put", scope, templateId), cancellationToken);
        var view = TemplateView.Of(new EffectiveTemplate(template!, level));
        return outcome == TemplateWriteOutcome.Created
            ? TypedResults.Created($"{context.Request.Path}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<IResult> DeleteAsync(string scope, string templateId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (!Ids.IsValid(templateId) || !await grains.GetGrain<ITemplateSetGrain>(scope).RemoveAsync(templateId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "No template of its own with that id here. Built-in and inherited templates are not removed, only overridden.");
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(user).KeyId, "template.delete", scope, templateId));
        return TypedResults.NoContent();
    }

    private static IResult SchoolStaffOnly(SchoolProfile school) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "School credential required",
            detail: $"A school's templates are edited with its own credential; a board edits its templates at /api/v1/boards/{school.BoardId}/templates.");

    /// <summary>The school's profile when the caller reaches it (its own staff, its board), else null.</summary>
    internal static async Task<SchoolProfile?> ReachableSchoolAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains) =>
        Ids.IsValid(schoolId) && await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is { } school && CallerGrant.From(user).CanReach(school)
            ? school
            : null;
}
