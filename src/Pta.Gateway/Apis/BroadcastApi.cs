using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Attachments;

namespace Pta.Gateway.Apis;

/// <summary>Broadcasts: a school (or its board) sends one; anyone who may reach it reads its progress.</summary>
public static partial class BroadcastApi
{
    public static RouteGroupBuilder MapBroadcastApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Broadcasts");

        api.MapPost("/schools/{schoolId}/broadcasts", SubmitAsync)
            .WithName("SubmitBroadcast")
            .WithSummary("Send a broadcast to a school's guardians")
            .WithDescription("Validates, commits and returns 202 with the broadcast's location; sending continues in the background. " +
                             "An operator's non-urgent broadcast answers with status awaitingApproval and sends once the principal approves; " +
                             "with sendAt it answers with status scheduled. An audience of a single guardian is refused with 422. " +
                             "The Idempotency-Key header is required: a retry with the same key and body returns the same broadcast, " +
                             "the same key with another body is refused with 422.")
            .DescribesBroadcastSubmission();

        api.MapGet("/broadcasts/{broadcastId}/progress", GetProgressAsync)
            .WithName("GetBroadcastProgress")
            .WithSummary("Live progress of a broadcast: totals, then per school and per carrier (recipients, sent, deferred, failed)")
            .Produces<BroadcastProgress>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/broadcasts/{broadcastId}", GetAsync)
            .WithName("GetBroadcast")
            .WithSummary("A broadcast's status and counts (recipients, sent, deferred, failed)")
            .Produces<BroadcastView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    /// <summary>The body and every answer of a broadcast submission, for the school and the PTA routes alike.</summary>
    internal static RouteHandlerBuilder DescribesBroadcastSubmission(this RouteHandlerBuilder route) =>
        route.DescribesBroadcastSubmission<BroadcastRequest>();

    /// <summary>The same answers for a submission with another body (a board's).</summary>
    internal static RouteHandlerBuilder DescribesBroadcastSubmission<TRequest>(this RouteHandlerBuilder route)
        where TRequest : notnull =>
        route.Accepts<TRequest>("application/json")
            .Produces<BroadcastView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> SubmitAsync(
        string schoolId,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        IGrainFactory grains,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = CallerGrant.From(context.User);
        if (!Ids.IsValid(schoolId)
            || await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is not { } school
            || !caller.CanReach(school))
        {
            return Problems.NotFound("school");
        }

        return await SubmitCheckedAsync(school, ptaId: null, idempotencyKey, context, grains, time, loggers, cancellationToken);
    }

    /// <summary>
    /// The part of a submission after the caller was found to reach <paramref name="school"/>: body, validation,
    /// Idempotency-Key, commit and the answer. Shared by school and PTA broadcasts (<paramref name="ptaId"/> set),
    /// which go to all members, so a PTA request must not name an audience.
    /// </summary>
    internal static async Task<IResult> SubmitCheckedAsync(
        SchoolProfile school,
        string? ptaId,
        string? idempotencyKey,
        HttpContext context,
        IGrainFactory grains,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        ArgumentNullException.ThrowIfNull(context);
        var (request, bodyError) = await RequestBodies.ReadJsonAsync<BroadcastRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        (request, var templateErrors) = await TemplateRendering.ApplyAsync(grains, request!, school, ptaId);
        if (templateErrors is not null)
        {
            return Problems.Invalid(templateErrors);
        }

        var errors = BroadcastRequestValidator.Validate(request!, out var category, out var audience);
        BroadcastRequestValidator.ValidateLifecycle(errors, request!.RequireConfirmation, request.SendAt, request.FollowUpMinutes, time.GetUtcNow());
        if (BroadcastRequestValidator.IdempotencyKeyError(idempotencyKey) is { } keyError)
        {
            errors["Idempotency-Key"] = [keyError];
        }

        if (ptaId is not null && !audience.IsWholeSchool)
        {
            errors["audience"] = ["A PTA broadcast goes to all PTA members; leave the audience out."];
        }

        if (ptaId is not null && category == BroadcastCategory.Maintenance)
        {
            errors["category"] = ["Maintenance notices come from the school or the board, not from the PTA."];
        }

        var attachmentLines = await AttachmentLinks.CheckAsync(context, errors, request.Attachments, AttachmentOwner.School(school.SchoolId));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        request = request with { Body = request.Body + attachmentLines };
        var schoolId = school.SchoolId;
        var submission = new BroadcastSubmission(
            schoolId, request!.Subject!, request.Body!, category, audience,
            RequestHash(request.Subject!, request.Body!, category, audience, Lifecycle.Of(request)), CallerGrant.From(context.User).KeyId, time.GetUtcNow(), ptaId)
            .WithLifecycle(Lifecycle.Of(request)) with { Submitter = BroadcastLifecycleApi.ActorOf(context) };
        // A PTA's keys live apart from its school's: the same key at both never names one broadcast.
        var broadcastId = Ids.BroadcastId(ptaId ?? schoolId, idempotencyKey!);
        return await CommitAsync(
            grains, broadcastId, submission, context, loggers, ptaId is null ? "school" : "PTA",
            ptaId is null ? "The audience has no guardian with a broadcast address." : "The PTA has no member with a broadcast address.");
    }

    /// <summary>
    /// Hands a validated submission to its broadcast grain and turns the outcome into the answer: 202 only once the
    /// broadcast and its audience are committed, 503 (retry with the same key) when that could not be confirmed.
    /// </summary>
    internal static async Task<IResult> CommitAsync(
        IGrainFactory grains,
        string broadcastId,
        BroadcastSubmission submission,
        HttpContext context,
        ILoggerFactory loggers,
        string scopeName,
        string noRecipientsDetail,
        string audienceField = "audience")
    {
        SubmitResult result;
        try
        {
            result = await grains.GetGrain<IBroadcastGrain>(broadcastId).SubmitAsync(submission);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is acknowledged unless it was committed: tell the caller to retry with the same key.
            LogSubmitFailed(loggers.CreateLogger(nameof(BroadcastApi)), ex, broadcastId);
            return Problems.Unavailable(context, "The broadcast was not accepted. Retry with the same Idempotency-Key.");
        }

        return result.Outcome switch
        {
            SubmitOutcome.Accepted or SubmitOutcome.AlreadyAccepted =>
                TypedResults.Accepted($"/api/v1/broadcasts/{broadcastId}", result.Broadcast),
            SubmitOutcome.KeyReusedWithOtherContent => Problems.Unprocessable(
                "Idempotency-Key reused", "This Idempotency-Key was already used for a broadcast with other content.", "Idempotency-Key"),
            SubmitOutcome.NoRecipients => Problems.Unprocessable("No recipients", noRecipientsDetail, audienceField),
            SubmitOutcome.SingleGuardian => Problems.Unprocessable(
                "Audience is a single guardian",
                "The audience resolves to one guardian only. The broadcast service may not be used for mail to a single person " +
                "(prohibited use, operating rules §8); contact the guardian directly instead.",
                audienceField),
            _ => Problems.NotFound(scopeName),
        };
    }

    internal static async Task<IResult> GetAsync(string broadcastId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!IsBroadcastId(broadcastId)
            || await grains.GetGrain<IBroadcastGrain>(broadcastId).GetAsync() is not { } view
            || !CallerGrant.From(user).CanReach(view))
        {
            return Problems.NotFound("broadcast");
        }

        return TypedResults.Ok(view);
    }

    internal static async Task<IResult> GetProgressAsync(string broadcastId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IBroadcastGrain>(broadcastId);
        var caller = CallerGrant.From(user);
        if (!IsBroadcastId(broadcastId)
            || await grain.GetAsync() is not { } view
            || !caller.CanReach(view)
            || await grain.GetProgressAsync() is not { } progress)
        {
            return Problems.NotFound("broadcast");
        }

        return TypedResults.Ok(ScopedTo(caller, view, progress));
    }

    /// <summary>School staff see their own school's line of a board broadcast, not their neighbours'.</summary>
    internal static BroadcastProgress ScopedTo(CredentialGrant caller, BroadcastView view, BroadcastProgress progress) =>
        view.SchoolId is null && caller.Role is CredentialRole.School or CredentialRole.Operator
            ? progress with { Schools = [.. progress.Schools.Where(s => s.SchoolId == caller.SchoolId)] }
            : progress;

    internal static bool IsBroadcastId(string id) =>
        id is { Length: 27 } && id.StartsWith("bc-", StringComparison.Ordinal) && id[3..].All(char.IsAsciiHexDigitLower);

    /// <summary>A fingerprint of what the caller asked for, to tell a retry from a reuse of the key.</summary>
    private static string RequestHash(string subject, string body, BroadcastCategory category, Audience audience, Lifecycle lifecycle)
    {
        if (!lifecycle.IsDefault)
        {
            var withLifecycle = JsonSerializer.Serialize(new { subject, body, category, audience.Grades, audience.Classes, audience.Groups, lifecycle });
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(withLifecycle)));
        }

        // Groups join the fingerprint only when given, so requests without groups keep the fingerprint they had.
        var canonical = audience.Groups is null
            ? JsonSerializer.Serialize(new { subject, body, category, audience.Grades, audience.Classes })
            : JsonSerializer.Serialize(new { subject, body, category, audience.Grades, audience.Classes, audience.Groups });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Broadcast {BroadcastId} could not be committed")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, string broadcastId);
}
