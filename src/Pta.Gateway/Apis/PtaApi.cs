using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;

namespace Pta.Gateway.Apis;

/// <summary>
/// A school's PTA as the school's staff (or its board) run it: name and a stable sender address, this year's
/// officers, the opted-in members (masked addresses only), and broadcasts to those members alone. Whoever
/// may not reach the school gets 404, as everywhere.
/// </summary>
public static class PtaApi
{
    public const int MaxNameLength = 100;
    public const int MaxRoleLength = 20;
    public const int MaxOfficerNameLength = 50;
    public const int MaxOfficers = 30;
    public const int MinFiscalYear = 2000;
    public const int MaxFiscalYear = 2100;

    public static RouteGroupBuilder MapPtaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/schools/{schoolId}").RequireAuthorization().WithTags("PTA");

        api.MapPut("/pta", ConfigureAsync).WithName("ConfigurePta")
            .WithSummary("Create or change the school's PTA: name and sender (default <school sender>.pta@<school domain>)")
            .Accepts<PtaRequest>("application/json").Produces<PtaResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/pta", GetAsync).WithName("GetPta")
            .WithSummary("The PTA: sender, officers, member count and members with masked addresses")
            .Produces<PtaResponse>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/pta/officers", SetOfficersAsync).WithName("SetPtaOfficers")
            .WithSummary("Replace the officers for a fiscal year; the sender address does not change")
            .Accepts<OfficersRequest>("application/json").Produces<PtaResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/pta/broadcasts", SubmitAsync).WithName("SubmitPtaBroadcast")
            .WithSummary("Send a broadcast from the PTA's sender to its members only")
            .WithDescription("Same body, validation and Idempotency-Key rules as a school broadcast, without an audience: " +
                             "it goes to every member who opted in. 202 with the broadcast's location.")
            .DescribesBroadcastSubmission();
        return api;
    }

    internal static async Task<IResult> ConfigureAsync(string schoolId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReachableSchoolAsync(schoolId, context.User, grains) is not { } school)
        {
            return Problems.NotFound("school");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<PtaRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        TextRules.Check(errors, "name", request!.Name, MaxNameLength, allowLineBreaks: false);
        var senderAddress = string.IsNullOrWhiteSpace(request.SenderAddress) ? DefaultSender(school) : request.SenderAddress.Trim().ToLowerInvariant();
        if (SenderError(senderAddress, school) is { } senderError)
        {
            errors["senderAddress"] = [senderError];
        }

        var senderName = string.IsNullOrWhiteSpace(request.SenderName) ? request.Name : request.SenderName;
        if (request.SenderName is not null)
        {
            TextRules.Check(errors, "senderName", request.SenderName, MaxNameLength, allowLineBreaks: false);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var ptaId = Ids.PtaId(schoolId);
        var pta = grains.GetGrain<IPtaGrain>(ptaId);
        await pta.ConfigureAsync(new PtaProfile(ptaId, schoolId, request.Name!.Trim(), senderAddress, senderName!.Trim()));
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "pta.configure", schoolId, senderAddress), cancellationToken);
        return TypedResults.Ok(Response((await pta.GetAsync())!));
    }

    internal static async Task<IResult> GetAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains, IAuditLog audit, TimeProvider time)
    {
        if (await ReachablePtaAsync(schoolId, user, grains) is not { } view)
        {
            return Problems.NotFound("PTA");
        }

        // A member list is personal data: every staff read is logged, as roster reads are (seed 003).
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(user).KeyId, "pta.members.read", schoolId, $"{view.Members.Count} members"));
        return TypedResults.Ok(Response(view));
    }

    internal static async Task<IResult> SetOfficersAsync(string schoolId, HttpContext context, IGrainFactory grains, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ReachablePtaAsync(schoolId, context.User, grains) is null)
        {
            return Problems.NotFound("PTA");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<OfficersRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = new Dictionary<string, string[]>();
        if (request!.FiscalYear is not (>= MinFiscalYear and <= MaxFiscalYear))
        {
            errors["fiscalYear"] = [$"The fiscal year (年度) the officers serve, {MinFiscalYear}–{MaxFiscalYear}, is required."];
        }

        var officers = request.Officers ?? [];
        if (officers.Count is 0 or > MaxOfficers)
        {
            errors["officers"] = [$"Between 1 and {MaxOfficers} officers, each with a role (会長, 副会長, 書記, 会計 …) and a name."];
        }

        for (var i = 0; i < officers.Count && i < MaxOfficers; i++)
        {
            if (officers[i] is null)
            {
                errors[$"officers[{i}]"] = ["An officer needs a role and a name."];
                continue;
            }

            TextRules.Check(errors, $"officers[{i}].role", officers[i].Role, MaxRoleLength, allowLineBreaks: false);
            TextRules.Check(errors, $"officers[{i}].name", officers[i].Name, MaxOfficerNameLength, allowLineBreaks: false);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var pta = grains.GetGrain<IPtaGrain>(Ids.PtaId(schoolId));
        await pta.SetOfficersAsync([.. officers.Select(o => new PtaOfficer(o.Role!.Trim(), o.Name!.Trim(), request.FiscalYear!.Value))]);
        await audit.RecordAsync(new AuditEntry(time.GetUtcNow(), CallerGrant.From(context.User).KeyId, "pta.officers", schoolId,
            $"{officers.Count} officers for {request.FiscalYear}"), cancellationToken);
        return TypedResults.Ok(Response((await pta.GetAsync())!));
    }

    internal static async Task<IResult> SubmitAsync(
        string schoolId,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        IGrainFactory grains,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (await ReachableSchoolAsync(schoolId, context.User, grains) is not { } school
            || await grains.GetGrain<IPtaGrain>(Ids.PtaId(schoolId)).GetProfileAsync() is not { } pta)
        {
            return Problems.NotFound("PTA");
        }

        return await BroadcastApi.SubmitCheckedAsync(school, pta.PtaId, idempotencyKey, context, grains, time, loggers, cancellationToken);
    }

    /// <summary>
    /// The default sender: the school's own local part with <c>.pta</c>, at the school's domain. An address of the
    /// association, not of an officer, so it outlives every yearly change of officers (seed 000).
    /// </summary>
    public static string DefaultSender(SchoolProfile school)
    {
        ArgumentNullException.ThrowIfNull(school);
        var at = school.SenderAddress.LastIndexOf('@');
        return at < 0 ? $"{school.SchoolId}.pta" : $"{school.SenderAddress[..at]}.pta{school.SenderAddress[at..]}".ToLowerInvariant();
    }

    /// <summary>
    /// The PTA sends under the school's (the city's) domain, which DKIM signs and SPF covers; any other domain
    /// would fail carriers' authentication checks. The local part is kept to plain dot-atom characters.
    /// </summary>
    private static string? SenderError(string address, SchoolProfile school)
    {
        var at = address.LastIndexOf('@');
        var domain = school.SenderAddress[(school.SenderAddress.LastIndexOf('@') + 1)..];
        if (at <= 0 || !string.Equals(address[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase))
        {
            return $"An address at the school's domain ({domain}) is required.";
        }

        var local = address[..at];
        var plain = local.Length <= 64
            && local.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_')
            && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);
        if (!plain)
        {
            return "The part before @ may use a–z, 0–9, '.', '-' and '_' (no leading, trailing or double dot), at most 64 characters.";
        }

        return string.Equals(address, school.SenderAddress, StringComparison.OrdinalIgnoreCase)
            ? "The PTA needs its own sender address, not the school's."
            : null;
    }

    private static async Task<SchoolProfile?> ReachableSchoolAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains) =>
        Ids.IsValid(schoolId) && await grains.GetGrain<ISchoolGrain>(schoolId).GetProfileAsync() is { } profile && CallerGrant.From(user).CanReach(profile)
            ? profile
            : null;

    private static async Task<PtaView?> ReachablePtaAsync(string schoolId, ClaimsPrincipal user, IGrainFactory grains) =>
        await ReachableSchoolAsync(schoolId, user, grains) is not null ? await grains.GetGrain<IPtaGrain>(Ids.PtaId(schoolId)).GetAsync() : null;

    private static PtaResponse Response(PtaView view) =>
        new(view.Profile.PtaId, view.Profile.SchoolId, view.Profile.Name, view.Profile.SenderAddress, view.Profile.SenderName,
            view.Officers, view.Members.Count,
            [.. view.Members.Select(m => new PtaMemberView(
                m.Name,
                [.. m.Addresses.OrderBy(a => a.Slot).Select(a => new MaskedAddress(a.Slot, GuardianAddress.Mask(a.Address), a.Status, GuardianAddress.Classify(a.Address)))],
                m.BroadcastAddresses.Any()))]);
}

/// <summary>A PTA's name and sender identity.</summary>
/// <param name="Name">The association's name, e.g. 第一小学校PTA.</param>
/// <param name="SenderAddress">Optional; at the school's domain. Default: the school's local part + <c>.pta</c>.</param>
/// <param name="SenderName">Optional display name of the sender; default: the name.</param>
public sealed record PtaRequest(string? Name, string? SenderAddress, string? SenderName);

/// <summary>The officers of one fiscal year; they replace the previous ones.</summary>
public sealed record OfficersRequest(int? FiscalYear, IReadOnlyList<OfficerRequest>? Officers);

/// <summary>One officer: role (会長, 副会長, 書記, 会計 …) and name. No address: mail goes out from the PTA's sender.</summary>
public sealed record OfficerRequest(string? Role, string? Name);

/// <summary>A PTA as staff see it: members' addresses masked, never in full.</summary>
public sealed record PtaResponse(
    string PtaId, string SchoolId, string Name, string SenderAddress, string SenderName,
    IReadOnlyList<PtaOfficer> Officers, int MemberCount, IReadOnlyList<PtaMemberView> Members);

/// <summary>A member as staff see it: name, masked addresses, whether PTA mail reaches them.</summary>
public sealed record PtaMemberView(string Name, IReadOnlyList<MaskedAddress> Addresses, bool Receiving);
