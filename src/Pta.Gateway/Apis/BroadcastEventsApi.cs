using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/broadcasts/{id}/events</c>: the console's live progress bars, pushed as server-sent events
/// (<c>text/event-stream</c>, one <c>progress</c> event whenever a count changes). The send counts come from the
/// broadcast grain's in-memory tallies, read once a second (an interleaved read, no storage); the confirmations from
/// the report grain, which computes them at most once per few seconds however many consoles watch, so a city-wide
/// alert watched by 500 principals costs 500 cheap reads a second and one report.
/// </summary>
/// <remarks>
/// The stream ends by itself: at once when the broadcast is over and asks for no confirmation (nothing will change),
/// otherwise after <see cref="StreamLifetime"/>; the event's <c>retry</c> field tells the console when to reconnect,
/// so no connection is held forever and a console left open on a finished broadcast costs one request per reconnect.
/// Plain SSE over a GET with the usual Bearer credential: the console reads it with fetch, since EventSource cannot
/// send an Authorization header and the credential must not travel in the URL.
/// </remarks>
public static class BroadcastEventsApi
{
    /// <summary>How long one connection streams before the console reconnects.</summary>
    public static readonly TimeSpan StreamLifetime = TimeSpan.FromMinutes(2);

    /// <summary>How often the broadcast's tallies are read.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>How often the confirmations are counted (the report grain caches for longer anyway).</summary>
    public static readonly TimeSpan ConfirmationTick = TimeSpan.FromSeconds(5);

    /// <summary>An unchanged state is sent again this often, so idle proxies keep the connection and the console knows it is live.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>When the console reconnects after the stream ended.</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(3);

    public const string EventType = "progress";

    public static RouteHandlerBuilder MapBroadcastEventsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/broadcasts/{broadcastId}/events", OpenAsync)
            .RequireAuthorization()
            .WithTags("Console")
            .WithName("StreamBroadcastProgress")
            .WithSummary("Live progress as server-sent events: a 'progress' event (counts, per school and carrier, confirmations) whenever it changes; " +
                         "the stream ends when nothing more can change, or after two minutes (reconnect)")
            .Produces<BroadcastLiveEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<IResult> OpenAsync(string broadcastId, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = CallerGrant.From(user);
        if (!BroadcastApi.IsBroadcastId(broadcastId)
            || await grains.GetGrain<IBroadcastGrain>(broadcastId).GetAsync() is not { } view
            || !caller.CanReach(view))
        {
            return Problems.NotFound("broadcast");
        }

        return TypedResults.ServerSentEvents(StreamAsync(broadcastId, caller, grains, time, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<BroadcastLiveEvent>> StreamAsync(
        string broadcastId, CredentialGrant caller, IGrainFactory grains, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var broadcast = grains.GetGrain<IBroadcastGrain>(broadcastId);
        var reports = grains.GetGrain<IBroadcastReportGrain>(broadcastId);
        var started = time.GetUtcNow();
        var confirmationCountedAt = DateTimeOffset.MinValue;
        var sentAt = DateTimeOffset.MinValue;
        LiveConfirmation? confirmation = null;
        BroadcastLiveEvent? last = null;
        var sequence = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (await broadcast.GetAsync() is not { } view || await broadcast.GetProgressAsync() is not { } progress)
            {
                yield break;
            }

            var over = view.Status is BroadcastStatus.Completed or BroadcastStatus.Cancelled or BroadcastStatus.Rejected;
            if (view.RequestsConfirmation && view.Status is not (BroadcastStatus.AwaitingApproval or BroadcastStatus.Scheduled or BroadcastStatus.Rejected)
                && now - confirmationCountedAt >= ConfirmationTick)
            {
                confirmation = LiveConfirmation.Of(await reports.GetReportAsync(SchoolFilter(caller, view)));
                confirmationCountedAt = now;
            }

            var current = BroadcastLiveEvent.Of(view, OwnPart(caller, view, progress), confirmation);
            if (last is null || !current.SameAs(last) || now - sentAt >= Heartbeat)
            {
                yield return new SseItem<BroadcastLiveEvent>(current, EventType)
                {
                    EventId = (++sequence).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ReconnectionInterval = Reconnect,
                };
                last = current;
                sentAt = now;
            }

            if ((over && !view.RequestsConfirmation) || now - started >= StreamLifetime)
            {
                yield break;
            }

            try
            {
                await Task.Delay(Tick, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break; // the console went away
            }
        }
    }

    /// <summary>
    /// A school's staff see their own school's part of a board broadcast: its line, and its counts as the totals (the
    /// city-wide totals and the per-carrier split are the board's to see).
    /// </summary>
    private static BroadcastProgress OwnPart(CredentialGrant caller, BroadcastView view, BroadcastProgress progress)
    {
        var scoped = BroadcastApi.ScopedTo(caller, view, progress);
        return ReferenceEquals(scoped, progress)
            ? progress
            : scoped with { Counts = scoped.Schools.FirstOrDefault()?.Counts ?? BroadcastCounts.Zero, Carriers = [] };
    }

    /// <summary>A school's staff count their own school's households of a board broadcast, as the report shows them.</summary>
    private static string? SchoolFilter(CredentialGrant caller, BroadcastView view) =>
        view.SchoolId is null && caller.Role is CredentialRole.School or CredentialRole.Operator ? caller.SchoolId : null;
}
