using System.Text.Json;

namespace Pta.Benchmarks.Fanout;

/// <summary>The emulator's ledger (one JSON line per accepted message): per-carrier counts and rates, lost and duplicates.</summary>
public sealed class EmulatorLedger
{
    private readonly IReadOnlyDictionary<string, List<double>> _times;

    private EmulatorLedger(
        IReadOnlyDictionary<string, CarrierFlow> carriers, IReadOnlyDictionary<string, List<double>> times,
        IReadOnlyDictionary<string, int> byMessageId, double lastAccepted)
    {
        _times = times;
        Carriers = carriers;
        ByMessageId = byMessageId;
        LastAccepted = lastAccepted;
    }

    public IReadOnlyDictionary<string, CarrierFlow> Carriers { get; }

    /// <summary>Records per Message-ID.</summary>
    public IReadOnlyDictionary<string, int> ByMessageId { get; }

    /// <summary>Unix time (seconds) of the last acceptance.</summary>
    public double LastAccepted { get; }

    public static EmulatorLedger Read(string path)
    {
        var flows = new Dictionary<string, (int Count, double First, double Last)>();
        var times = new Dictionary<string, List<double>>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var last = 0.0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var ts = root.GetProperty("ts").GetDouble();
            var carrier = root.GetProperty("carrier").GetString() ?? "?";
            var id = root.GetProperty("message_id").GetString() ?? string.Empty;
            var flow = flows.TryGetValue(carrier, out var seen) ? seen : (Count: 0, First: ts, Last: ts);
            flows[carrier] = (flow.Count + 1, Math.Min(flow.First, ts), Math.Max(flow.Last, ts));
            ids[id] = ids.GetValueOrDefault(id) + 1;
            if (!times.TryGetValue(carrier, out var list))
            {
                times[carrier] = list = [];
            }

            list.Add(ts);
            last = Math.Max(last, ts);
        }

        return new EmulatorLedger(
            flows.ToDictionary(f => f.Key, f => new CarrierFlow(f.Value.Count, f.Value.First, f.Value.Last)), times, ids, last);
    }

    /// <summary>A carrier's rate (messages/s) in consecutive windows of <paramref name="width"/> seconds from <paramref name="start"/>.</summary>
    public IReadOnlyList<double> RatePerWindow(string carrier, double start, double width)
    {
        if (!_times.TryGetValue(carrier, out var list) || list.Count == 0)
        {
            return [];
        }

        var counts = new int[(int)((list.Max() - start) / width) + 1];
        foreach (var ts in list)
        {
            counts[Math.Max(0, (int)((ts - start) / width))]++;
        }

        return [.. counts.Select(c => c / width)];
    }

    /// <summary>One carrier's accepted messages and the span they arrived in.</summary>
    public sealed record CarrierFlow(int Count, double First, double Last)
    {
        /// <summary>Messages per second between the first and the last (the first one opens the interval).</summary>
        public double Rate => Last > First ? (Count - 1) / (Last - First) : 0;
    }
}
