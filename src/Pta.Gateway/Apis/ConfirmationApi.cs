using Pta.Gateway.RateLimits;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;

namespace Pta.Gateway.Apis;

/// <summary>
/// Hot path: <c>/c/{token}</c>, the personal read-confirmation link (受信確認) in every mail of a broadcast that asks
/// for it. No login: the token is signed and self-contained, so a click costs one HMAC check and one group-committed
/// row (<see cref="IConfirmationStore"/>), no grain call; 100,000 guardians click within minutes of a city-wide alert.
/// </summary>
/// <remarks>
/// GET records the household's confirmation (either of its addresses confirms for both; the first click is kept, a
/// second shows the same page). HEAD answers the same status and headers but records nothing: mail scanners and link
/// previewers probe with HEAD, and a probe is not a guardian reading the mail. A scanner that fetches with GET does
/// count; the link cannot tell it from a phone, and a button to press would cost every guardian a second tap.
/// </remarks>
public static class ConfirmationApi
{
    public static IEndpointRouteBuilder MapConfirmationApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Short-circuited: once routed, the click skips the rest of the pipeline (static files, rate limiting,
        // authentication, authorization, status-code pages), none of which it needs: it is anonymous, answers its own
        // pages, catches its own failures and takes its rate-limit permit itself, once it knows the link's broadcast.
        app.MapMethods($"/{ConfirmationLinks.PathSegment}/{{token}}", [HttpMethods.Get, HttpMethods.Head], OpenAsync)
            .WithName("ConfirmationLink").AllowAnonymous().ExcludeFromDescription().ShortCircuit()
            .RateLimitedAs(PublicEndpoint.Confirmation);
        return app;
    }

    internal static async Task OpenAsync(
        HttpContext context, string token, ConfirmationLinks links, IConfirmationStore store, PublicRateLimiter limits, TimeProvider time)
    {
        var claim = links.Check(token);

        // Per address, and per broadcast when the signature holds (a forged token names nothing to count against).
        using var lease = limits.AttemptAcquire(PublicEndpoint.Confirmation, context, claim.BroadcastId);
        if (!lease.IsAcquired)
        {
            await RateLimitRejection.WriteAsync(context, lease);
            return;
        }

        var page = claim.Status switch
        {
            ConfirmationLinkStatus.Valid when HttpMethods.IsGet(context.Request.Method) =>
                await RecordAsync(context, store, new ConfirmationRecord(
                    claim.BroadcastId!, Ids.HouseholdOf(claim.RecipientKey!), claim.RecipientKey!, time.GetUtcNow())),
            ConfirmationLinkStatus.Valid => ConfirmationPage.Confirmed,
            ConfirmationLinkStatus.Expired => ConfirmationPage.Expired,
            _ => ConfirmationPage.NotFound,
        };
        await page.WriteAsync(context);
    }

    private static async Task<ConfirmationPage> RecordAsync(HttpContext context, IConfirmationStore store, ConfirmationRecord confirmation)
    {
        try
        {
            await store.RecordAsync(confirmation, context.RequestAborted);
            return ConfirmationPage.Confirmed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store has logged it. Nothing was stored for sure: ask for another tap (safe, the first click is kept).
            return ConfirmationPage.Unavailable;
        }
    }
}
