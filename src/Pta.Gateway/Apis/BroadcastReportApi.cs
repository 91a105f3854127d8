using System.Security.Claims;
using Pta.Gateway.Access;
using Pta.Gateway.Reports;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>
/// A broadcast's report (JSON and CSV) and its phone-call list (CSV), for whoever may read the broadcast. A school
/// credential sees only its own school's lines of a board broadcast; a board credential may narrow to one school with
/// <c>?schoolId=</c>. Computed in the silo (<see cref="IBroadcastReportGrain"/>), at most a few seconds old.
/// </summary>
public static class BroadcastReportApi
{
    public static RouteGroupBuilder MapBroadcastReportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/broadcasts/{broadcastId}").RequireAuthorization().WithTags("Reports");

        api.MapGet("/report", ReportAsync).WithName("GetBroadcastReport")
            .WithSummary("Report of a broadcast: totals, per school and per class (households, addresses, delivered, deferred, bounced, confirmed %), and a per-minute timeline")
            .Produces<BroadcastReport>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/report.csv", ReportCsvAsync).WithName("GetBroadcastReportCsv")
            .WithSummary("The report as CSV (UTF-8 with BOM): a total line, then one line per school and per class")
            .Produces<string>(contentType: "text/csv").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/unconfirmed.csv", UnconfirmedCsvAsync).WithName("GetUnconfirmedHouseholdsCsv")
            .WithSummary("Households to phone (CSV, UTF-8 with BOM): not confirmed, bounced, deferred, no address on file; addresses masked; audited")
            .Produces<string>(contentType: "text/csv").ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> ReportAsync(string broadcastId, string? schoolId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (scope, error) = await ScopeAsync(broadcastId, schoolId, user, grains);
        if (scope is null)
        {
            return error!;
        }

        var report = await grains.GetGrain<IBroadcastReportGrain>(broadcastId).GetReportAsync(scope.SchoolFilter);
        return report is null ? Problems.NotFound("broadcast") : TypedResults.Ok(report);
    }

    internal static async Task<IResult> ReportCsvAsync(string broadcastId, string? schoolId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (scope, error) = await ScopeAsync(broadcastId, schoolId, user, grains);
        if (scope is null)
        {
            return error!;
        }

        var report = await grains.GetGrain<IBroadcastReportGrain>(broadcastId).GetReportAsync(scope.SchoolFilter);
        return report is null
            ? Problems.NotFound("broadcast")
            : TypedResults.File(ReportCsv.Report(report), ReportCsv.ContentType, $"report-{broadcastId}.csv");
    }

    /// <summary>Personal data (names, masked addresses): each school's part is audited before anything is returned.</summary>
    internal static async Task<IResult> UnconfirmedCsvAsync(
        string broadcastId, string? schoolId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var (scope, error) = await ScopeAsync(broadcastId, schoolId, user, grains);
        if (scope is null)
        {
            return error!;
        }

        var reports = grains.GetGrain<IBroadcastReportGrain>(broadcastId);
        var lines = new List<UnconfirmedHousehold>();
        IEnumerable<string> schools = scope.SchoolFilter is { } only ? [only] : scope.Schools.Order(StringComparer.Ordinal);
        foreach (var school in schools)
        {
            if (await reports.GetUnconfirmedAsync(school) is not { } part)
            {
                return Problems.NotFound("broadcast");
            }

            await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(user).KeyId, "broadcast.unconfirmed.export", school,
                $"broadcast {broadcastId}: {part.Count} lines"), cancellationToken);
            lines.AddRange(part);
        }

        return TypedResults.File(ReportCsv.Unconfirmed(lines), ReportCsv.ContentType, $"unconfirmed-{broadcastId}.csv");
    }

    /// <summary>
    /// Which broadcast, and which of its schools, the caller may see: 404 for anything it may not reach (as the
    /// broadcast itself), 400 for a malformed <c>schoolId</c>. A school credential is narrowed to its own school.
    /// </summary>
    private static async Task<(ReportScope? Scope, IResult? Error)> ScopeAsync(string broadcastId, string? schoolId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (schoolId is not null && !Ids.IsValid(schoolId))
        {
            return (null, Problems.Invalid(new() { ["schoolId"] = ["Not a school id (lower-case letters, digits and hyphens, starting with a letter)."] }));
        }

        var caller = CallerGrant.From(user);
        if (!BroadcastApi.IsBroadcastId(broadcastId)
            || await grains.GetGrain<IBroadcastGrain>(broadcastId).GetAsync() is not { } view
            || !caller.CanReach(view))
        {
            return (null, Problems.NotFound("broadcast"));
        }

        IReadOnlyList<string> schools = view.SchoolId is { } single ? [single] : view.SchoolIds ?? [];
        // Every school credential (principal and operator alike) is narrowed to its own school.
        var filter = caller.Role is CredentialRole.School or CredentialRole.Operator ? caller.SchoolId : schoolId;
        if (filter is not null && (!schools.Contains(filter) || (schoolId is not null && schoolId != filter)))
        {
            return (null, Problems.NotFound("school of this broadcast"));
        }

        return (new ReportScope(schools, filter), null);
    }

    private sealed record ReportScope(IReadOnlyList<string> Schools, string? SchoolFilter);
}
