using System.Security.Claims;
using Pta.Gateway.Operations;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;

namespace Pta.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/boards/{boardId}/cluster</c>: the board console's cluster view during a disaster: the silos of the
/// cluster (so an operator sees a silo they added join) and, per carrier, the configured rate, the share of it in use
/// after deferrals (back-off) and any pause after a burst of unknown users; per silo its send rate and total sent (from
/// the cluster's rate grain, the same figures as the gateway's <c>/metrics</c>), so an added silo is seen taking a share. Read from the membership table and the
/// per-carrier shaping grains; nothing about any school or guardian. Board administrators only: the cluster is shared
/// by every board's schools, and its state says nothing a school needs.
/// </summary>
public static class ClusterApi
{
    public static RouteHandlerBuilder MapClusterApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/boards/{boardId}/cluster", GetAsync)
            .RequireAuthorization()
            .WithTags("Console")
            .WithName("GetCluster")
            .WithSummary("The cluster as operators watch it: active silos with their send rate, and per carrier the configured rate, the back-off factor and any pause")
            .Produces<ClusterView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    internal static async Task<IResult> GetAsync(
        string boardId, ClaimsPrincipal user, IGrainFactory grains, IConfiguration configuration, TimeProvider time, ClusterRatesMetrics rates,
        CancellationToken cancellationToken)
    {
        if (await BoardApi.OwnBoardAsync(boardId, user, grains) is null)
        {
            return Problems.NotFound("board");
        }

        var shaping = configuration.GetSection(ShapingOptions.Section).Get<ShapingOptions>() ?? new ShapingOptions();
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var carriers = await Task.WhenAll(Enum.GetValues<Carrier>().Select(async carrier =>
        {
            var state = await grains.GetGrain<ICarrierRateGrain>(CarrierNames.KeyOf(carrier)).GetStateAsync();
            var limit = shaping.Enabled && shaping.Carriers.TryGetValue(CarrierNames.Of(carrier), out var configured) && configured.MessagesPerSecond > 0
                ? configured.MessagesPerSecond
                : (double?)null;
            return new ClusterCarrier(carrier, limit, state.RateFactor, limit * state.RateFactor, state.PausedUntil, state.RecentUnknownUsers);
        }));
        var load = await LoadAsync(grains, [.. hosts.Select(h => h.SiloAddress)]);
        var sending = (await rates.RefreshAsync(cancellationToken)).ToDictionary(r => r.Silo, StringComparer.Ordinal);
        var silos = hosts
            .Select((h, i) => new ClusterSilo(h.SiloName, h.SiloAddress.ToString(), h.HostName, h.Status.ToString(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                load is null ? null : Math.Round(load[i].EnvironmentStatistics.FilteredCpuUsagePercentage, 1), load?[i].ActivationCount, load?[i].IsOverloaded,
                sending.GetValueOrDefault(h.SiloName)?.SentPerSecond, sending.GetValueOrDefault(h.SiloName)?.Sent))
            .OrderBy(s => s.StartedAt)
            .ToList();
        return TypedResults.Ok(new ClusterView(time.GetUtcNow(), shaping.Enabled, silos, carriers));
    }

    /// <summary>Each silo's CPU and activations; null when a silo does not answer (it may be leaving): the view still shows the rest.</summary>
    private static async Task<SiloRuntimeStatistics[]?> LoadAsync(IGrainFactory grains, SiloAddress[] silos)
    {
        try
        {
            return await grains.GetGrain<IManagementGrain>(0).GetRuntimeStatistics(silos).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or SiloUnavailableException)
        {
            return null;
        }
    }
}

/// <summary>The cluster at <paramref name="At"/>.</summary>
/// <param name="At">When it was read.</param>
/// <param name="ShapingEnabled">Whether per-carrier rates are enforced at all.</param>
/// <param name="Silos">The active silos, oldest first.</param>
/// <param name="Carriers">Each carrier's shaping state.</param>
public sealed record ClusterView(DateTimeOffset At, bool ShapingEnabled, IReadOnlyList<ClusterSilo> Silos, IReadOnlyList<ClusterCarrier> Carriers);

/// <summary>One active silo as the membership table lists it, with its load when it answered.</summary>
/// <param name="Name">The silo's name.</param>
/// <param name="Address">Its silo address.</param>
/// <param name="Host">Its host name.</param>
/// <param name="Status">Its membership status (Active).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CpuPercent">Its process's CPU use; null when unknown.</param>
/// <param name="Activations">Grain activations on it (shards sending, schools, broadcasts).</param>
/// <param name="Overloaded">Whether Orleans considers it overloaded (it then sheds new work).</param>
/// <param name="SentPerSecond">Messages it handed to SMTP per second over the last ~10 s; null until it has reported (every 2 s).</param>
/// <param name="Sent">Messages it handed to SMTP since it started; null until it has reported.</param>
public sealed record ClusterSilo(
    string Name, string Address, string Host, string Status, DateTimeOffset StartedAt, double? CpuPercent, int? Activations, bool? Overloaded,
    double? SentPerSecond, long? Sent);

/// <summary>One carrier's shaping: configured and effective rate (messages per second, cluster-wide; null = unlimited).</summary>
/// <param name="Carrier">The carrier.</param>
/// <param name="ConfiguredPerSecond">The configured cluster-wide rate; null when not limited.</param>
/// <param name="RateFactor">The share of the configured rate in use: 1, down to 0.1 after deferrals (back-off).</param>
/// <param name="EffectivePerSecond">Configured rate times the factor.</param>
/// <param name="PausedUntil">Set while paused after a burst of unknown-user replies.</param>
/// <param name="RecentUnknownUsers">Unknown-user replies within the current window.</param>
public sealed record ClusterCarrier(Carrier Carrier, double? ConfiguredPerSecond, double RateFactor, double? EffectivePerSecond, DateTimeOffset? PausedUntil, int RecentUnknownUsers);
