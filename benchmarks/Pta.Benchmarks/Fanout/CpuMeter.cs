using System.Globalization;
using System.Text;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// Where the two cores went during a phase: CPU seconds per component (silos, gateway, sink, PostgreSQL) between
/// two snapshots. Components are sets of pids found afresh at each snapshot, since PostgreSQL forks backends.
/// </summary>
public sealed class CpuMeter
{
    private readonly List<(string Name, Func<IEnumerable<int>> Pids)> _components = [];

    public void Add(string name, Func<IEnumerable<int>> pids) => _components.Add((name, pids));

    public Snapshot Take()
    {
        var components = new Dictionary<string, IReadOnlyDictionary<int, double>>();
        foreach (var (name, pids) in _components)
        {
            components[name] = pids().Distinct().ToDictionary(pid => pid, ProcStats.CpuSeconds);
        }

        return new Snapshot(DateTimeOffset.UtcNow, components);
    }

    /// <summary>"wall=60.0s silo=72.3s(120%) …": CPU seconds of each component between two snapshots, and % of one core.</summary>
    public static string Describe(Snapshot from, Snapshot to)
    {
        var wall = (to.At - from.At).TotalSeconds;
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"wall={wall:F1}s"));
        foreach (var (name, pids) in to.Components)
        {
            // Per pid, so a backend born during the phase counts from zero; one that ended during it is missed (a lower bound).
            var before = from.Components.GetValueOrDefault(name);
            var used = pids.Sum(p => p.Value - (before?.GetValueOrDefault(p.Key) ?? 0));
            text.Append(CultureInfo.InvariantCulture, $" {name}={used:F1}s({100 * used / Math.Max(wall, 0.001):F0}%)");
        }

        return text.ToString();
    }

    public sealed record Snapshot(DateTimeOffset At, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>> Components);
}
