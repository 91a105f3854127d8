namespace Pta.Grains.Abstractions;

/// <summary>
/// A broadcast's report and phone-call list, computed in the silo (where the audience, ledger and confirmation
/// stores are; a gateway may be a plain cluster client). Keyed by the broadcast id. One activation per broadcast
/// computes the whole report at most once per few seconds and serves every school's view from it, so 500
/// principals opening a city-wide report at once cost one computation, not 500. The first report of a city-wide
/// broadcast takes seconds (docs/benchmarks.md), hence the longer response timeout than Orleans' 30 s default.
/// </summary>
public interface IBroadcastReportGrain : IGrainWithStringKey
{
    /// <summary>
    /// The report, or null when no broadcast was accepted under this id. With <paramref name="schoolId"/> only that
    /// school's line, and totals and timeline over that school's households (a school's view of a board broadcast).
    /// </summary>
    [ResponseTimeout("00:02:00")]
    Task<BroadcastReport?> GetReportAsync(string? schoolId);

    /// <summary>
    /// The phone-call list of one school of the broadcast (households that did not confirm or could not be reached),
    /// by grade, class and child; null when no broadcast was accepted under this id.
    /// </summary>
    [ResponseTimeout("00:02:00")]
    Task<IReadOnlyList<UnconfirmedHousehold>?> GetUnconfirmedAsync(string schoolId);
}
