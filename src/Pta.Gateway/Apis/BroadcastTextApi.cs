using System.Security.Claims;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/broadcasts/{id}/text</c>: the subject, body, category and audience of a broadcast as it stands, for
/// whoever may read the broadcast. The approval queue shows it, so a principal approves what they have read.
/// </summary>
public static class BroadcastTextApi
{
    public static RouteHandlerBuilder MapBroadcastTextApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/broadcasts/{broadcastId}/text", GetAsync)
            .RequireAuthorization()
            .WithTags("Console")
            .WithName("GetBroadcastText")
            .WithSummary("A broadcast's subject, body, category and audience as submitted or last changed (what the approver reads)")
            .Produces<BroadcastText>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<IResult> GetAsync(string broadcastId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var grain = grains.GetGrain<IBroadcastGrain>(broadcastId);
        return BroadcastApi.IsBroadcastId(broadcastId)
               && await grain.GetAsync() is { } view
               && CallerGrant.From(user).CanReach(view)
               && await grain.GetTextAsync() is { } text
            ? TypedResults.Ok(text)
            : Problems.NotFound("broadcast");
    }
}
