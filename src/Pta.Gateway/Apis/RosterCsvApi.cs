using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;
using Pta.Gateway.Access;
using Pta.Gateway.Roster;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>
/// The bulk roster path: a school's class list, or a whole city's, as CSV (format in <see cref="RosterCsv"/>).
/// One grain write per school, not one request per row; validated in full before anything is written.
/// Export gives masked addresses only.
/// </summary>
public static class RosterCsvApi
{
    public const long MaxSchoolFileBytes = 16L * 1024 * 1024;
    public const long MaxCityFileBytes = 512L * 1024 * 1024;

    /// <summary>Schools written at once during a city-wide import: enough to overlap storage round trips, few enough to stay gentle.</summary>
    private const int ParallelSchools = 16;

    public static IEndpointRouteBuilder MapRosterCsvApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Roster");
        api.MapPost("/schools/{schoolId}/roster", ImportSchoolAsync).WithName("ImportSchoolRoster")
            .WithSummary("Replace the school's imported class list (CSV); self-registered guardians are kept")
            .WithCsvBody().Produces<RosterImportResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/schools/{schoolId}/roster", ExportSchoolAsync).WithName("ExportSchoolRoster")
            .WithSummary("The roster as CSV, with masked addresses")
            .Produces<string>(contentType: "text/csv").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/boards/{boardId}/roster", ImportCityAsync).WithName("ImportCityRoster")
            .WithSummary("Import the class lists of many schools of the board in one CSV (column school_id)")
            .WithCsvBody().Produces<CityImportResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>
    /// Documents the CSV body in OpenAPI. Not <c>Accepts("text/csv")</c>: that makes routing answer 415 before
    /// authentication runs, so a caller without a credential would learn about the endpoint instead of getting 401.
    /// </summary>
    private static RouteHandlerBuilder WithCsvBody(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "UTF-8 CSV with a header row: grade, class, child_name, guardian_name, address1 (address2–address4 optional; school_id for a city file).",
                Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() },
            };
            return Task.CompletedTask;
        });

    internal static async Task<IResult> ImportSchoolAsync(string schoolId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await RosterApi.ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        if (CsvBodyError(context, MaxSchoolFileBytes) is { } bodyError)
        {
            return bodyError;
        }

        var (rows, errors) = await ParseAsync(context, MaxSchoolFileBytes, schoolId);
        if (errors.Count > 0)
        {
            return errors.ContainsKey("size") ? Problems.TooLarge() : Problems.Invalid(errors);
        }

        var result = await school.ImportRosterAsync(rows.GetValueOrDefault(schoolId) ?? []);
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "roster.import", schoolId,
            $"{result.Children} children, {result.Guardians} imported guardians"));
        return TypedResults.Ok(result);
    }

    internal static async Task<IResult> ExportSchoolAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await RosterApi.ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var children = RosterApi.ChildViews(await school.GetRosterAsync()).ToList();
        await RosterApi.RecordReadAsync(audit, time, user, "roster.export", schoolId, children.Count);
        return TypedResults.Text(RosterCsv.Export(children), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    internal static async Task<IResult> ImportCityAsync(string boardId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        var caller = CallerGrant.From(context.User);
        if (!Ids.IsValid(boardId) || caller.Role != CredentialRole.Board || caller.BoardId != boardId
            || await grains.GetGrain<IBoardGrain>(boardId).GetProfileAsync() is null)
        {
            return Problems.NotFound("board");
        }

        if (CsvBodyError(context, MaxCityFileBytes) is { } bodyError)
        {
            return bodyError;
        }

        var (rows, errors) = await ParseAsync(context, MaxCityFileBytes, schoolId: null);
        if (errors.Count > 0)
        {
            return errors.ContainsKey("size") ? Problems.TooLarge() : Problems.Invalid(errors);
        }

        // Every school named must be one of this board's, checked before the first write.
        foreach (var schoolId in rows.Keys)
        {
            if (await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is not { } profile || profile.BoardId != boardId)
            {
                errors[$"school_id {schoolId}"] = ["Not a school of this board."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var totals = new RosterImportResult[rows.Count];
        await Parallel.ForEachAsync(rows.Select((pair, i) => (pair, i)), new ParallelOptions { MaxDegreeOfParallelism = ParallelSchools },
            async (item, _) => totals[item.i] = await grains.GetGrain<ISchoolGrain>(item.pair.Key).ImportRosterAsync(item.pair.Value));
        var result = new CityImportResult(rows.Count, totals.Sum(t => t.Children), totals.Sum(t => t.Guardians));
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), caller.KeyId, "roster.import", boardId,
            $"{result.Schools} schools, {result.Children} children, {result.Guardians} imported guardians"));
        return TypedResults.Ok(result);
    }

    private static IResult? CsvBodyError(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return Problems.TooLarge();
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the class list as text/csv (UTF-8).");
        }

        return null;
    }

    private static async Task<(Dictionary<string, List<RosterImportRow>> Rows, Dictionary<string, string[]> Errors)> ParseAsync(
        HttpContext context, long maxBytes, string? schoolId)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            // Parsing is synchronous over a buffered copy: class lists are text, and the cap bounds the buffer.
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length > maxBytes)
            {
                return ([], new() { ["size"] = ["too large"] });
            }

            buffer.Position = 0;
            using var text = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return RosterCsv.Parse(text, schoolId);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], new() { ["size"] = ["too large"] });
        }
    }
}

/// <summary>What a city-wide import did.</summary>
public sealed record CityImportResult(int Schools, int Children, int Guardians);
