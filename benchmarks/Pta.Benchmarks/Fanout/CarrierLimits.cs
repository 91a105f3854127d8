using System.Globalization;
using System.Text.Json;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// The cluster-wide per-carrier limits of the <c>--carriers emulated</c> run, written twice: as the silos'
/// <c>Pta:Shaping</c> settings and as the carrier emulator's config. The emulator allows a little more (rate and
/// burst) than shaping does, so that shaping, not the emulator's refusals, sets the pace.
/// </summary>
public static class CarrierLimits
{
    /// <summary>
    /// Messages per second the cluster may send to each carrier (emulator carrier name → shaping carrier name, rate),
    /// in the city's 40/25/20/15 proportions so every carrier needs the same time. They add up to 400/s because the
    /// emulator (Python, one event loop) itself takes only about 600 messages/s on the two-core development machine
    /// (smtp-source → emulator, 48 sessions, 2026-11-22): with higher limits the emulator, not shaping, sets the pace.
    /// </summary>
    public static readonly IReadOnlyList<(string Emulator, string Shaping, double Rate)> Limits =
    [
        ("docomo", "Docomo", 160),
        ("au", "Au", 100),
        ("softbank", "Softbank", 80),
        ("gmail", "Gmail", 60),
    ];

    /// <summary>Permits a silo takes from a carrier's bucket at once (Pta:Shaping:BatchSize, the engine's default).</summary>
    public const int BatchSize = 20;

    /// <summary>How much faster than shaping the emulator lets a carrier go.</summary>
    public const double EmulatorHeadroom = 1.05;

    /// <summary>
    /// Shaping's bucket: one second's worth, the engine's default. A tenth of a second's worth (tried first, like the
    /// emulator's own default) left every carrier at about 53% of its limit: see docs/benchmarks.md.
    /// </summary>
    public static int ShapingBurst(double rate) => Math.Max(BatchSize, (int)Math.Ceiling(rate));

    public static IEnumerable<KeyValuePair<string, string>> ShapingEnvironment() => ShapingEnvironment(Limits.Sum(l => l.Rate));

    /// <summary>
    /// The same carriers in the same proportions, scaled so that together they allow <paramref name="totalRate"/>
    /// messages/s (the chaos run paces its send this way, into smtp-sink).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ShapingEnvironment(double totalRate)
    {
        var scale = totalRate / Limits.Sum(l => l.Rate);
        yield return new("Pta__Shaping__Enabled", "true");
        yield return new("Pta__Shaping__BatchSize", Invariant(BatchSize));
        foreach (var (_, shaping, rate) in Limits)
        {
            yield return new($"Pta__Shaping__Carriers__{shaping}__MessagesPerSecond", Invariant(rate * scale));
            yield return new($"Pta__Shaping__Carriers__{shaping}__Burst", Invariant(ShapingBurst(rate * scale)));
        }
    }

    /// <summary>
    /// The emulator's config. Its burst also covers the permits every silo may hold unspent (one batch each).
    /// Connection limits are off: the engine's pooled connections carry mail for every carrier, and the emulator
    /// counts a connection against each carrier it has sent to until it closes, which is not what this run measures.
    /// </summary>
    public static string EmulatorConfig(int silos)
    {
        var carriers = new Dictionary<string, object?>();
        foreach (var (emulator, _, rate) in Limits)
        {
            carriers[emulator] = new Dictionary<string, object?>
            {
                ["rate_per_second"] = rate * EmulatorHeadroom,
                ["burst"] = ShapingBurst(rate) + (silos * BatchSize),
                ["max_connections"] = null,
            };
        }

        carriers["other"] = new Dictionary<string, object?> { ["rate_per_second"] = null, ["max_connections"] = null };
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["carriers"] = carriers });
    }

    /// <summary>The shortest time the limits allow for these per-carrier counts: the slowest carrier's count / rate.</summary>
    public static double MinimumSeconds(IReadOnlyDictionary<string, int> countsByCarrier) =>
        Limits.Max(l => countsByCarrier.GetValueOrDefault(l.Emulator) / l.Rate);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
