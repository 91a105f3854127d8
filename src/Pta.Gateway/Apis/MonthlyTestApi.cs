using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>
/// The board's monthly test broadcast (seed 002): set once by a board administrator, it sends itself every month,
/// so the board sees each month that mail still reaches the guardians.
/// </summary>
public static class MonthlyTestApi
{
    public static RouteGroupBuilder MapMonthlyTestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/boards/{boardId}/monthly-test").RequireAuthorization().WithTags("Board");
        api.MapPut("/", PutAsync).WithName("SetMonthlyTest")
            .WithSummary("Send a test broadcast every month on a day (1–28) at a time (HH:mm, Japan time) to the board's schools")
            .Accepts<MonthlyTestRequest>("application/json").Produces<MonthlyTestView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", GetAsync).WithName("GetMonthlyTest").WithSummary("The monthly test schedule, its next run and its recent broadcasts")
            .Produces<MonthlyTestView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/", DeleteAsync).WithName("StopMonthlyTest").WithSummary("Stop the monthly test broadcast")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> PutAsync(
        string boardId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await BoardApi.OwnBoardAsync(boardId, context.User, grains) is not { } board)
        {
            return Problems.NotFound("board");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<MonthlyTestRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (request!.DayOfMonth is not (>= 1 and <= MonthlySchedule.LastDay))
        {
            errors["dayOfMonth"] = [$"A day from 1 to {MonthlySchedule.LastDay} (every month has it)."];
        }

        if (!TimeOnly.TryParseExact(request.Time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var timeOfDay))
        {
            errors["time"] = ["Japan time as HH:mm, e.g. 10:00."];
        }

        TextRules.Check(errors, "subject", request.Subject, BroadcastRequestValidator.MaxSubjectLength, allowLineBreaks: false);
        TextRules.Check(errors, "body", request.Body, BroadcastRequestValidator.MaxBodyLength, allowLineBreaks: true);
        var schoolIds = request.SchoolIds ?? [];
        for (var i = 0; i < schoolIds.Count; i++)
        {
            if (!Ids.IsValid(schoolIds[i]) || !board.SchoolIds.Contains(schoolIds[i]))
            {
                errors[$"schoolIds[{i}]"] = ["Not a school of this board."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var actor = BroadcastLifecycleApi.ActorOf(context);
        var schedule = new MonthlySchedule(request.DayOfMonth!.Value, timeOfDay, request.Subject!, request.Body!,
            [.. schoolIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], request.RequireConfirmation == true, actor);
        var grain = grains.GetGrain<IMonthlyTestGrain>(boardId);
        var next = await grain.SetAsync(schedule);
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), $"{actor.KeyId} ({actor.Label})", "monthly-test.set", boardId,
            $"day {schedule.DayOfMonth} at {schedule.TimeOfDay:HH\\:mm} JST; next {next:O}", actor.Origin), cancellationToken);
        return TypedResults.Ok(await grain.GetAsync());
    }

    private static async Task<IResult> GetAsync(string boardId, ClaimsPrincipal user, IGrainFactory grains) =>
        await BoardApi.OwnBoardAsync(boardId, user, grains) is null || await grains.GetGrain<IMonthlyTestGrain>(boardId).GetAsync() is not { } view
            ? Problems.NotFound("monthly test")
            : TypedResults.Ok(view);

    private static async Task<IResult> DeleteAsync(string boardId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await BoardApi.OwnBoardAsync(boardId, context.User, grains) is null || !await grains.GetGrain<IMonthlyTestGrain>(boardId).StopAsync())
        {
            return Problems.NotFound("monthly test");
        }

        var actor = BroadcastLifecycleApi.ActorOf(context);
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), $"{actor.KeyId} ({actor.Label})", "monthly-test.stopped", boardId, null, actor.Origin));
        return TypedResults.NoContent();
    }
}

/// <summary>The board's monthly test: when, what, and to which schools (left out: every school of the board).</summary>
public sealed record MonthlyTestRequest(int? DayOfMonth, string? Time, string? Subject, string? Body, IReadOnlyList<string>? SchoolIds, bool? RequireConfirmation);
