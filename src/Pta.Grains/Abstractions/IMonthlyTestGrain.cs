using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// A board's monthly test broadcast, keyed by board id: a reminder (on PostgreSQL, so it passes restarts) submits
/// one board broadcast of category <c>test</c> per month at the configured day and time.
/// </summary>
public interface IMonthlyTestGrain : IGrainWithStringKey
{
    /// <summary>Sets (or replaces) the schedule; returns when the next run is due.</summary>
    Task<DateTimeOffset> SetAsync(MonthlySchedule schedule);

    /// <summary>Stops the monthly runs; false when none were set.</summary>
    Task<bool> StopAsync();

    /// <summary>The schedule and its next run, or null when none is set.</summary>
    [AlwaysInterleave]
    Task<MonthlyTestView?> GetAsync();
}

/// <summary>A monthly test schedule as the API shows it, with the broadcasts of its past runs.</summary>
[GenerateSerializer, Immutable, Alias("pta.monthly-test-view")]
public sealed record MonthlyTestView(
    [property: Id(0)] MonthlySchedule Schedule,
    [property: Id(1)] DateTimeOffset NextRunAt,
    [property: Id(2)] IReadOnlyList<string> RecentBroadcastIds);
