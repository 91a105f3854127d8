using System.Text.Json;
using Microsoft.Extensions.Options;
using Pta.Gateway.RateLimits;
using Pta.Grains.Abstractions;
using Pta.Grains.Registration;

namespace Pta.Gateway.Apis;

/// <summary>
/// Guardian self-service through the signed, expiring link every completion mail carries (no password):
/// see and change addresses, switch broadcasts off and on, join and leave a PTA, withdraw, download all my data.
/// A link reaches only its own guardian; a tampered or expired link is 404 and reveals nothing.
/// </summary>
public static class GuardianApi
{
    public static RouteGroupBuilder MapGuardianApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/me/{token}").AllowAnonymous().WithTags("Guardian self-service")
            .RateLimitedAs(PublicEndpoint.SelfService);

        api.MapGet("/", GetAsync).WithName("GetMyRegistration").WithSummary("My registration: addresses, switch, children, consents")
            .Produces<GuardianView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/export", ExportAsync).WithName("ExportMyData").WithSummary("Download all my data as JSON (a file)")
            .Produces<GuardianView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/addresses/{slot:int}", SetAddressAsync).WithName("SetMyAddress")
            .WithSummary("Put an address into slot 1–4; it receives broadcasts (slots 1–2) once its completion mail is accepted")
            .Accepts<AddressRequest>("application/json").Produces<GuardianView>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/addresses/{slot:int}", ClearAddressAsync).WithName("ClearMyAddress").WithSummary("Clear an address slot")
            .Produces<GuardianView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/broadcasts", SetBroadcastsAsync).WithName("SetMyBroadcastSwitch").WithSummary("Switch receiving broadcasts off or on")
            .Accepts<BroadcastSwitchRequest>("application/json").Produces<GuardianView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/ptas/{ptaId}", JoinPtaAsync).WithName("JoinPta")
            .WithSummary("Join the PTA of a school where I have a child (voluntary; my consent is recorded with time and IP)")
            .Accepts<PtaConsentRequest>("application/json").Produces<GuardianView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/ptas/{ptaId}", LeavePtaAsync).WithName("LeavePta")
            .WithSummary("Leave a PTA: off its member list at once; the consent is kept, marked withdrawn")
            .Produces<GuardianView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/withdraw", WithdrawAsync).WithName("Withdraw")
            .WithSummary("Withdraw: no more mail at once; personal data is deleted after the retention period")
            .Produces<GuardianView>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> GetAsync(string token, LinkSigner links, IGrainFactory grains) =>
        await ViewAsync(token, links, grains) is { } view ? TypedResults.Ok(view) : NotFound();

    internal static async Task<IResult> ExportAsync(string token, LinkSigner links, IGrainFactory grains, HttpContext context)
    {
        if (await ViewAsync(token, links, grains) is not { } view)
        {
            return NotFound();
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"pta-my-data-{view.GuardianId}.json\"";
        return TypedResults.Ok(view);
    }

    internal static async Task<IResult> SetAddressAsync(string token, int slot, HttpContext context, LinkSigner links, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ActiveGuardianAsync(token, links, grains) is not { } guardian)
        {
            return NotFound();
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<AddressRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (SlotError(slot) is { } slotError)
        {
            return slotError;
        }

        if (!GuardianAddress.TryNormalize(request!.Address, out var address, out var error))
        {
            return Problems.Invalid(new() { ["address"] = [error] });
        }

        await guardian.SetAddressAsync(slot, address);
        return TypedResults.Accepted((string?)null, await guardian.GetAsync());
    }

    internal static async Task<IResult> ClearAddressAsync(string token, int slot, LinkSigner links, IGrainFactory grains)
    {
        if (await ActiveGuardianAsync(token, links, grains) is not { } guardian)
        {
            return NotFound();
        }

        if (SlotError(slot) is { } slotError)
        {
            return slotError;
        }

        await guardian.SetAddressAsync(slot, null);
        return TypedResults.Ok(await guardian.GetAsync());
    }

    internal static async Task<IResult> SetBroadcastsAsync(string token, HttpContext context, LinkSigner links, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (await ActiveGuardianAsync(token, links, grains) is not { } guardian)
        {
            return NotFound();
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<BroadcastSwitchRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (request!.Receive is not { } receive)
        {
            return Problems.Invalid(new() { ["receive"] = ["Required: true or false."] });
        }

        await guardian.SetReceiveBroadcastsAsync(receive);
        return TypedResults.Ok(await guardian.GetAsync());
    }

    internal static async Task<IResult> JoinPtaAsync(
        string token, string ptaId, HttpContext context, LinkSigner links, IGrainFactory grains, IOptions<GuardianLinkOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ActiveGuardianAsync(token, links, grains) is not { } guardian)
        {
            return NotFound();
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<PtaConsentRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        if (request!.Consent is not true)
        {
            return Problems.Invalid(new() { ["consent"] = ["PTA membership is voluntary: join only with \"consent\": true."] });
        }

        // Only the minimum is handed over: the guardian's name and addresses, never a child's name (seed 003).
        var consent = new ConsentRecord(ConsentRecord.PtaPurpose(ptaId), options.Value.PolicyVersion, time.GetUtcNow(),
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown", null);
        return Ids.SchoolOfPta(ptaId) is not null && await guardian.JoinPtaAsync(ptaId, consent)
            ? TypedResults.Ok(await guardian.GetAsync())
            : Problems.NotFound("PTA of a school of your children");
    }

    internal static async Task<IResult> LeavePtaAsync(string token, string ptaId, LinkSigner links, IGrainFactory grains)
    {
        if (await ActiveGuardianAsync(token, links, grains) is not { } guardian)
        {
            return NotFound();
        }

        return Ids.SchoolOfPta(ptaId) is not null && await guardian.LeavePtaAsync(ptaId)
            ? TypedResults.Ok(await guardian.GetAsync())
            : Problems.NotFound("PTA membership");
    }

    internal static async Task<IResult> WithdrawAsync(string token, LinkSigner links, IGrainFactory grains)
    {
        if (links.GuardianOf(token) is not { } guardianId || await grains.GetGrain<IGuardianGrain>(guardianId).GetAsync() is null)
        {
            return NotFound();
        }

        var guardian = grains.GetGrain<IGuardianGrain>(guardianId);
        await guardian.WithdrawAsync();
        return TypedResults.Ok(await guardian.GetAsync());
    }

    private static async Task<GuardianView?> ViewAsync(string token, LinkSigner links, IGrainFactory grains) =>
        links.GuardianOf(token) is { } guardianId ? await grains.GetGrain<IGuardianGrain>(guardianId).GetAsync() : null;

    /// <summary>The guardian a link speaks for while registered; changes after withdrawal answer 404 too.</summary>
    private static async Task<IGuardianGrain?> ActiveGuardianAsync(string token, LinkSigner links, IGrainFactory grains) =>
        await ViewAsync(token, links, grains) is { Status: GuardianStatus.Active } view ? grains.GetGrain<IGuardianGrain>(view.GuardianId) : null;

    private static IResult? SlotError(int slot) =>
        slot is >= 1 and <= AddressSlot.MaxSlots ? null : Problems.Invalid(new() { ["slot"] = [$"A slot is 1–{AddressSlot.MaxSlots}."] });

    private static IResult NotFound() => Problems.NotFound("registration for this link (it may have expired)");
}

/// <summary>An address for a slot.</summary>
public sealed record AddressRequest(string? Address);

/// <summary>Consent to join a PTA: must be <c>true</c>.</summary>
public sealed record PtaConsentRequest(bool? Consent);

/// <summary>The broadcast switch.</summary>
public sealed record BroadcastSwitchRequest(bool? Receive);
