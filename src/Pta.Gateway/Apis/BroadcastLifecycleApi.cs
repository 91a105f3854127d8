using System.Security.Claims;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>
/// A broadcast's life after it was submitted: approval of operators' drafts, changes and cancellation before (or
/// during) the send, the consoles' lists (approval queue, scheduled sends) and the audit trail.
/// </summary>
public static class BroadcastLifecycleApi
{
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapBroadcastLifecycleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Broadcast lifecycle");

        api.MapPost("/broadcasts/{broadcastId}/approve", (string broadcastId, HttpContext context, IGrainFactory grains) =>
                ActAsync(broadcastId, context, grains, (grain, actor) => grain.ApproveAsync(actor)))
            .WithName("ApproveBroadcast")
            .WithSummary("Approve an operator's draft (the principal; a board administrator for a board broadcast): it sends, or waits for its send time")
            .DescribesLifecycleAnswer();

        api.MapPost("/broadcasts/{broadcastId}/reject", RejectAsync)
            .WithName("RejectBroadcast")
            .WithSummary("Refuse an operator's draft, with an optional reason; nothing is sent")
            .Accepts<RejectRequest>("application/json")
            .DescribesLifecycleAnswer();

        api.MapPost("/broadcasts/{broadcastId}/cancel", (string broadcastId, HttpContext context, IGrainFactory grains) =>
                ActAsync(broadcastId, context, grains, (grain, actor) => grain.CancelAsync(actor)))
            .WithName("CancelBroadcast")
            .WithSummary("Cancel a draft, a scheduled or a running broadcast: nobody not yet sent to is sent to")
            .DescribesLifecycleAnswer();

        api.MapPost("/broadcasts/{broadcastId}/acknowledge", (string broadcastId, HttpContext context, IGrainFactory grains) =>
                ActAsync(broadcastId, context, grains, (grain, actor) => grain.AcknowledgeAsync(actor)))
            .WithName("AcknowledgeBroadcast")
            .WithSummary("The principal has seen an operator's emergency send (sent first, reported after)")
            .DescribesLifecycleAnswer();

        api.MapPatch("/broadcasts/{broadcastId}", ChangeAsync)
            .WithName("ChangeBroadcast")
            .WithSummary("Change the send time or text of a draft or scheduled broadcast; sendNow starts it at once")
            .Accepts<BroadcastChangeRequest>("application/json")
            .DescribesLifecycleAnswer();

        api.MapGet("/broadcasts/{broadcastId}/audit", AuditAsync)
            .WithName("GetBroadcastAudit")
            .WithSummary("The broadcast's audit trail: who did what, when and from where")
            .Produces<IReadOnlyList<AuditEntry>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/schools/{schoolId}/broadcasts", ListSchoolAsync)
            .WithName("ListSchoolBroadcasts")
            .WithSummary("The school's and its PTA's broadcasts, newest first; ?status=awaitingApproval|scheduled|sending|completed|cancelled|rejected")
            .Produces<IReadOnlyList<BroadcastView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/boards/{boardId}/broadcasts", ListBoardAsync)
            .WithName("ListBoardBroadcasts")
            .WithSummary("The board's own broadcasts, newest first; ?status= as for a school")
            .Produces<IReadOnlyList<BroadcastView>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static RouteHandlerBuilder DescribesLifecycleAnswer(this RouteHandlerBuilder route) =>
        route.Produces<BroadcastView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>The actor as the audit trail records it: credential, role and the client address.</summary>
    internal static BroadcastActor ActorOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallerGrant.From(context.User);
        return new BroadcastActor(caller.KeyId, caller.Label, caller.Role, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    private static async Task<IResult> RejectAsync(string broadcastId, HttpContext context, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var found = await FindManageableAsync(broadcastId, context, grains);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        RejectRequest? request = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (request, var bodyError) = await RequestBodies.ReadJsonAsync<RejectRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
            if (bodyError is not null)
            {
                return bodyError;
            }
        }

        var errors = new Dictionary<string, string[]>();
        if (request?.Reason is { } reason)
        {
            TextRules.Check(errors, "reason", reason, MaxReasonLength, allowLineBreaks: true);
        }

        return errors.Count > 0
            ? Problems.Invalid(errors)
            : await ActOnAsync(found.Grain, found.View!, context, (grain, actor) => grain.RejectAsync(actor, request?.Reason));
    }

    private static async Task<IResult> ChangeAsync(
        string broadcastId, HttpContext context, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        // Another tenant's id is "not found" whatever the body says: validation must not tell it exists.
        var found = await FindManageableAsync(broadcastId, context, grains);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<BroadcastChangeRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (request!.Subject is not null)
        {
            TextRules.Check(errors, "subject", request.Subject, BroadcastRequestValidator.MaxSubjectLength, allowLineBreaks: false);
        }

        if (request.Body is not null)
        {
            TextRules.Check(errors, "body", request.Body, BroadcastRequestValidator.MaxBodyLength, allowLineBreaks: true);
        }

        BroadcastRequestValidator.ValidateLifecycle(errors, requireConfirmation: null, request.SendAt, followUpMinutes: null, time.GetUtcNow());
        if (request.SendNow == true && request.SendAt is not null)
        {
            errors["sendNow"] = ["Either a new sendAt or sendNow, not both."];
        }

        if (request.Subject is null && request.Body is null && request.SendAt is null && request.SendNow != true)
        {
            errors["body"] = ["Nothing to change: give subject, body, sendAt or sendNow."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var change = new BroadcastChange(request.SendAt?.ToUniversalTime(), request.Subject, request.Body, request.SendNow == true);
        return await ActOnAsync(found.Grain, found.View!, context, (grain, actor) => grain.ChangeAsync(actor, change));
    }

    private static async Task<IResult> ActAsync(
        string broadcastId, HttpContext context, IGrainFactory grains, Func<IBroadcastGrain, BroadcastActor, Task<LifecycleResult>> act)
    {
        var (grain, view, refusal) = await FindManageableAsync(broadcastId, context, grains);
        return refusal ?? await ActOnAsync(grain, view!, context, act);
    }

    /// <summary>Does the step on a broadcast the caller was found to steer, and turns the outcome into the answer.</summary>
    private static async Task<IResult> ActOnAsync(
        IBroadcastGrain grain, BroadcastView view, HttpContext context, Func<IBroadcastGrain, BroadcastActor, Task<LifecycleResult>> act)
    {
        var result = await act(grain, ActorOf(context));
        return result.Outcome switch
        {
            LifecycleOutcome.Done => TypedResults.Ok(result.Broadcast),
            LifecycleOutcome.NotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: result.Detail),
            LifecycleOutcome.WrongState => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: result.Detail,
                extensions: new Dictionary<string, object?> { ["status"] = JsonNamingPolicy.CamelCase.ConvertName((result.Broadcast ?? view).Status.ToString()) }),
            _ => Problems.NotFound("broadcast"),
        };
    }

    /// <summary>The broadcast when the caller may steer it; otherwise the answer: 404 when it cannot even see it.</summary>
    private static async Task<(IBroadcastGrain Grain, BroadcastView? View, IResult? Refusal)> FindManageableAsync(
        string broadcastId, HttpContext context, IGrainFactory grains)
    {
        var caller = CallerGrant.From(context.User);
        var grain = grains.GetGrain<IBroadcastGrain>(broadcastId);
        if (!BroadcastApi.IsBroadcastId(broadcastId) || await grain.GetAsync() is not { } view || !caller.CanReach(view))
        {
            return (grain, null, Problems.NotFound("broadcast"));
        }

        // A school's staff see a board broadcast to their school but do not steer it for the other schools.
        return caller.CanManage(view)
            ? (grain, view, null)
            : (grain, view, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: "Only the board steers a board broadcast."));
    }

    private static async Task<IResult> AuditAsync(string broadcastId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!BroadcastApi.IsBroadcastId(broadcastId)
            || await grains.GetGrain<IBroadcastGrain>(broadcastId).GetAsync() is not { } view
            || !CallerGrant.From(user).CanReach(view))
        {
            return Problems.NotFound("broadcast");
        }

        return TypedResults.Ok(await audit.ReadAsync(broadcastId, cancellationToken));
    }

    private static async Task<IResult> ListSchoolAsync(string schoolId, string? status, int? limit, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsValid(schoolId)
            || await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is not { } school
            || !CallerGrant.From(user).CanReach(school))
        {
            return Problems.NotFound("school");
        }

        return await ListAsync($"school/{schoolId}", status, limit, grains);
    }

    private static async Task<IResult> ListBoardAsync(string boardId, string? status, int? limit, ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = CallerGrant.From(user);
        if (!Ids.IsValid(boardId) || caller.Role is not (CredentialRole.Board or CredentialRole.BoardOperator) || caller.BoardId != boardId)
        {
            return Problems.NotFound("board");
        }

        return await ListAsync($"board/{boardId}", status, limit, grains);
    }

    private static async Task<IResult> ListAsync(string indexKey, string? status, int? limit, IGrainFactory grains)
    {
        BroadcastStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<BroadcastStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || status.Any(char.IsDigit))
            {
                return Problems.Invalid(new() { ["status"] = ["One of awaitingApproval, scheduled, accepted, sending, completed, cancelled, rejected."] });
            }

            filter = parsed;
        }

        if (limit is < 1 or > 500)
        {
            return Problems.Invalid(new() { ["limit"] = ["Between 1 and 500."] });
        }

        return TypedResults.Ok(await grains.GetGrain<IBroadcastIndexGrain>(indexKey).ListAsync(filter, limit ?? 100));
    }
}

/// <summary>The body of a rejection; the reason goes to the audit trail and the broadcast's note.</summary>
public sealed record RejectRequest(string? Reason);

/// <summary>A change to a draft or scheduled broadcast: any of a new subject, body or send time, or send now.</summary>
public sealed record BroadcastChangeRequest(string? Subject, string? Body, DateTimeOffset? SendAt, bool? SendNow);
