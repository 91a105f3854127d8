using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Gateway.Roster;

namespace Pta.Gateway.Apis;

/// <summary>
/// A school's roster as its staff and board see it. Privacy by design: no endpoint here ever returns a full
/// guardian address — masked only (<c>t***@docomo.ne.jp</c>), with whether it is verified and receiving.
/// </summary>
public static class RosterApi
{
    public static RouteGroupBuilder MapRosterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/schools/{schoolId}").RequireAuthorization().WithTags("Roster");

        api.MapGet("/children", ChildrenAsync).WithName("ListChildren")
            .WithSummary("Children, their guardians and masked addresses")
            .Produces<IReadOnlyList<ChildView>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/unreachable", UnreachableAsync).WithName("ListUnreachableChildren")
            .WithSummary("Children with no verified broadcast address: the households to phone in an emergency (JSON, or CSV with ?format=csv)")
            .Produces<IReadOnlyList<ChildView>>().Produces<string>(contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/registration-code", RotateCodeAsync).WithName("RotateRegistrationCode")
            .WithSummary("Issue a new registration auth code for the school (shown once; the old code stops working)")
            .Produces<RegistrationCodeResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/rollover", RollOverAsync).WithName("RollOverSchoolYear")
            .WithSummary("Yearly roll-over: every child up a grade; the top grade graduates and leaves the roster")
            .Accepts<RollOverRequest>("application/json").Produces<RollOverResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/children/{childId}/transfer", TransferAsync).WithName("TransferChild")
            .WithSummary("Move a child, with its guardians, to another school of the same board")
            .Accepts<TransferRequest>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> RollOverAsync(string schoolId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<RollOverRequest>(context.Request, System.Text.Json.JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (request!.TopGrade is not (>= BroadcastRequestValidator.MinGrade and <= BroadcastRequestValidator.MaxGrade))
        {
            return Problems.Invalid(new() { ["topGrade"] = ["The graduating grade (6 for an elementary school, 3 for a junior high school) is required."] });
        }

        var result = await school.RollOverAsync(request.TopGrade.Value);
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "roster.rollover", schoolId,
            $"{result.Promoted} promoted, {result.Graduated} graduated"), cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<IResult> TransferAsync(string schoolId, string childId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<TransferRequest>(context.Request, System.Text.Json.JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (!Ids.IsValid(request!.ToSchoolId))
        {
            errors["toSchoolId"] = ["The id of a school of the same board is required."];
        }

        if (request.Grade is not (>= BroadcastRequestValidator.MinGrade and <= BroadcastRequestValidator.MaxGrade))
        {
            errors["grade"] = [$"A grade between {BroadcastRequestValidator.MinGrade} and {BroadcastRequestValidator.MaxGrade} is required."];
        }

        TextRules.Check(errors, "class", request.Class, BroadcastRequestValidator.MaxClassNameLength, allowLineBreaks: false);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (!await school.TransferChildAsync(childId, request.ToSchoolId!, request.Grade!.Value, request.Class!.Trim()))
        {
            return Problems.NotFound("child, or school of the same board,");
        }

        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "roster.transfer", schoolId,
            $"child {childId} to {request.ToSchoolId}"), cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<IResult> ChildrenAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var children = ChildViews(await school.GetRosterAsync()).ToList();
        await RecordReadAsync(audit, time, user, "roster.read", schoolId, children.Count);
        return TypedResults.Ok(children);
    }

    internal static async Task<IResult> UnreachableAsync(string schoolId, string? format, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var unreachable = ChildViews(await school.GetRosterAsync()).Where(c => !c.Guardians.Any(g => g.Receiving)).ToList();
        await RecordReadAsync(audit, time, user, "roster.unreachable.read", schoolId, unreachable.Count);
        if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Ok(unreachable);
        }

        var csv = new StringBuilder("grade,class,child_name,guardian_name,masked_address,reason\r\n");
        foreach (var child in unreachable)
        {
            foreach (var guardian in child.Guardians.DefaultIfEmpty(new GuardianSummary("", [], false, false)))
            {
                var reason = guardian.Addresses.Count == 0 ? "no address" : guardian.BroadcastsOn ? "not verified" : "broadcasts switched off";
                var address = guardian.Addresses.FirstOrDefault()?.Masked ?? "";
                csv.Append($"{child.Grade},{Csv(child.Class)},{Csv(child.Name)},{Csv(guardian.Name)},{Csv(address)},{reason}\r\n");
            }
        }

        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    internal static async Task<IResult> RotateCodeAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await ReachableSchoolAsync(schoolId, user, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var code = NewCode();
        await school.SetAuthCodeAsync(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
        return TypedResults.Ok(new RegistrationCodeResponse(code));
    }

    /// <summary>Eight digits in two groups: easy to read out and type on a phone, 10^8 codes against 5 tries per link.</summary>
    public static string NewCode()
    {
        var n = RandomNumberGenerator.GetInt32(100_000_000);
        return $"{n / 10_000:D4}-{n % 10_000:D4}";
    }

    /// <summary>Every read of personal data by staff is logged (seed 003): who, when, which school, how many children.</summary>
    internal static Task RecordReadAsync(IAuditLog audit, TimeProvider time, ClaimsPrincipal user, string action, string schoolId, int children) =>
        audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(user).KeyId, action, schoolId, $"{children} children"));

    internal static async Task<ISchoolGrain?> ReachableSchoolAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.IsValid(schoolId))
        {
            return null;
        }

        var school = grains.GetGrain<ISchoolGrain>(schoolId);
        return await school.GetProfileAsync() is { } profile && CallerGrant.From(user).CanReach(profile) ? school : null;
    }

    internal static IEnumerable<ChildView> ChildViews(SchoolRoster roster) =>
        roster.Children
            .OrderBy(c => c.Grade).ThenBy(c => c.Class, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new ChildView(c.ChildId, c.Name, c.Grade, c.Class, [.. c.GuardianIds
                .Select(id => roster.Guardians.TryGetValue(id, out var contact) ? contact : null)
                .OfType<GuardianContact>()
                .Select(g => new GuardianSummary(
                    g.Name,
                    [.. g.Addresses.OrderBy(a => a.Slot).Select(a => new MaskedAddress(a.Slot, GuardianAddress.Mask(a.Address), a.Status, GuardianAddress.Classify(a.Address)))],
                    g.ReceiveBroadcasts,
                    g.BroadcastAddresses.Any()))]));

    private static string Csv(string value) => RosterCsv.Cell(value);
}

/// <summary>A child as staff see it.</summary>
public sealed record ChildView(string ChildId, string Name, int Grade, string Class, IReadOnlyList<GuardianSummary> Guardians);

/// <summary>A guardian as staff see it: name, masked addresses, the switch, and whether broadcasts reach them.</summary>
public sealed record GuardianSummary(string Name, IReadOnlyList<MaskedAddress> Addresses, bool BroadcastsOn, bool Receiving);

/// <summary>An address as staff see it: never in full.</summary>
public sealed record MaskedAddress(int Slot, string Masked, AddressStatus Status, Carrier Carrier);

/// <summary>The roll-over: which grade graduates.</summary>
public sealed record RollOverRequest(int? TopGrade);

/// <summary>A transfer: the target school (same board) and the child's grade and class there.</summary>
public sealed record TransferRequest(string? ToSchoolId, int? Grade, string? Class);

/// <summary>A new registration auth code, shown once.</summary>
public sealed record RegistrationCodeResponse(string Code);
