using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Attachments;

namespace Pta.Gateway.Apis;

/// <summary>
/// A board's broadcast to all or some of its schools, e.g. a city-wide earthquake alert. Each school's guardians
/// get it from their own school's sender (the address they allowed in their carrier's filter), once per address
/// even when they have children at two of the schools.
/// </summary>
public static class BoardBroadcastApi
{
    /// <summary>More than any Japanese city has schools; a bound on the request, not on the board.</summary>
    public const int MaxSchools = 5_000;

    public static RouteGroupBuilder MapBoardBroadcastApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/boards/{boardId}").RequireAuthorization().WithTags("Broadcasts");
        api.MapPost("/broadcasts", SubmitAsync)
            .WithName("SubmitBoardBroadcast")
            .WithSummary("Send a broadcast to the guardians of all or chosen schools of the board, optionally only chosen grades")
            .WithDescription("Validates, freezes the audience, commits and returns 202 with the broadcast's location; sending continues " +
                             "in the background, spread over every silo. The Idempotency-Key header is required, as for a school broadcast. " +
                             "A board operator's non-urgent broadcast waits (awaitingApproval) for a board administrator; with sendAt it is " +
                             "scheduled and its audience frozen when it starts.")
            .DescribesBroadcastSubmission<BoardBroadcastRequest>();
        return api;
    }

    internal static async Task<IResult> SubmitAsync(
        string boardId,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        IGrainFactory grains,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = CallerGrant.From(context.User);
        if (!Ids.IsValid(boardId) || caller.Role is not (CredentialRole.Board or CredentialRole.BoardOperator) || caller.BoardId != boardId
            || await grains.GetGrain<IBoardGrain>(boardId).GetProfileAsync() is not { } board)
        {
            return Problems.NotFound("board");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<BoardBroadcastRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        (request, var templateErrors) = await TemplateRendering.ApplyAsync(grains, request!, board);
        if (templateErrors is not null)
        {
            return Problems.Invalid(templateErrors);
        }

        var errors = BroadcastRequestValidator.Validate(
            new BroadcastRequest(request!.Subject, request.Body, request.Category, new AudienceRequest(request.Grades, null)),
            out var category, out var audience);
        BroadcastRequestValidator.ValidateLifecycle(errors, request.RequireConfirmation, request.SendAt, request.FollowUpMinutes, time.GetUtcNow());
        var schoolIds = request.SchoolIds ?? [];
        CheckSchools(errors, schoolIds, board);
        if (BroadcastRequestValidator.IdempotencyKeyError(idempotencyKey) is { } keyError)
        {
            errors["Idempotency-Key"] = [keyError];
        }

        var attachmentLines = await AttachmentLinks.CheckAsync(context, errors, request.Attachments, AttachmentOwner.Board(boardId));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors.ToDictionary(e => BoardField(e.Key), e => e.Value));
        }

        request = request with { Body = request.Body + attachmentLines };
        var chosen = schoolIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var submission = new BroadcastSubmission(
            null, request.Subject!, request.Body!, category, audience,
            RequestHash(request.Subject!, request.Body!, category, audience, chosen, Lifecycle.Of(request)), caller.KeyId, time.GetUtcNow(),
            BoardId: boardId, SchoolIds: chosen).WithLifecycle(Lifecycle.Of(request)) with { Submitter = BroadcastLifecycleApi.ActorOf(context) };

        // "board/" keeps a board's keys apart from its schools' (ids never contain '/').
        var broadcastId = Ids.BroadcastId($"board/{boardId}", idempotencyKey!);
        return await BroadcastApi.CommitAsync(
            grains, broadcastId, submission, context, loggers, "board", "None of the chosen schools has a guardian with a broadcast address.", "schoolIds");
    }

    /// <summary>The shared validator names a school's audience ("audience", "audience.grades[i]"); a board request has "grades".</summary>
    private static string BoardField(string key) =>
        key == "audience" ? "grades" : key.Replace("audience.grades", "grades", StringComparison.Ordinal);

    private static void CheckSchools(Dictionary<string, string[]> errors, IReadOnlyList<string> schoolIds, BoardProfile board)
    {
        if (schoolIds.Count > MaxSchools)
        {
            errors["schoolIds"] = [$"At most {MaxSchools} schools; leave it out for every school of the board."];
            return;
        }

        for (var i = 0; i < schoolIds.Count; i++)
        {
            if (!Ids.IsValid(schoolIds[i]) || !board.SchoolIds.Contains(schoolIds[i]))
            {
                errors[$"schoolIds[{i}]"] = ["Not a school of this board."];
            }
        }
    }

    private static string RequestHash(string subject, string body, BroadcastCategory category, Audience audience, IReadOnlyList<string> schoolIds, Lifecycle lifecycle)
    {
        var canonical = lifecycle.IsDefault
            ? JsonSerializer.Serialize(new { subject, body, category, audience.Grades, schoolIds })
            : JsonSerializer.Serialize(new { subject, body, category, audience.Grades, schoolIds, lifecycle });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
