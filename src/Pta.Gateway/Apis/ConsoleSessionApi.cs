using System.Security.Claims;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/session</c>: who the presented credential speaks for, so the web console (which holds nothing but
/// the token) can show the right view and the right schools. It answers only about the caller itself; the schools it
/// lists are the ones the credential reaches, by the same rule every other endpoint applies (<see cref="CallerGrant"/>).
/// </summary>
public static class ConsoleSessionApi
{
    public static RouteHandlerBuilder MapConsoleSessionApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/session", GetAsync)
            .RequireAuthorization()
            .WithTags("Console")
            .WithName("GetSession")
            .WithSummary("The caller's credential: role, label, board and the schools it reaches (the console's sign-in)")
            .Produces<ConsoleSession>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    internal static async Task<IResult> GetAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var caller = CallerGrant.From(user);
        var board = await grains.GetGrain<IBoardGrain>(caller.BoardId).GetProfileAsync();
        IReadOnlyList<string> reachable = caller.SchoolId is { } own ? [own] : board?.SchoolIds ?? [];
        var profiles = await Task.WhenAll(reachable.Select(id => grains.GetGrain<ISchoolGrain>(id).GetProfileAsync()));
        var schools = profiles.OfType<SchoolProfile>()
            .Where(caller.CanReach)
            .Select(s => new ConsoleSchool(s.SchoolId, s.Name, s.SenderName, s.SenderAddress))
            .ToList();
        return TypedResults.Ok(new ConsoleSession(caller.Role, caller.Label, caller.BoardId, board?.Name, caller.SchoolId, schools));
    }
}

/// <summary>The signed-in credential as the console needs it.</summary>
/// <param name="Role">board, school (the principal), operator or boardOperator.</param>
/// <param name="Label">The credential's label, shown as who is signed in.</param>
/// <param name="BoardId">The board the credential belongs to.</param>
/// <param name="BoardName">The board's name, when the board is registered.</param>
/// <param name="SchoolId">The school of a school credential; null for a board credential.</param>
/// <param name="Schools">The schools the credential reaches: its own, or every school of its board.</param>
public sealed record ConsoleSession(
    CredentialRole Role, string Label, string BoardId, string? BoardName, string? SchoolId, IReadOnlyList<ConsoleSchool> Schools);

/// <summary>A school the caller reaches, with the sender identity its mails show (for the console's phone preview).</summary>
public sealed record ConsoleSchool(string SchoolId, string Name, string SenderName, string SenderAddress);
