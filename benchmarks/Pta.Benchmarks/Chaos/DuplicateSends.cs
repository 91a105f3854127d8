using System.Globalization;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Chaos;

/// <summary>
/// Each duplicate of the chaos run, by Message-ID (the engine keeps one per recipient, so a second record with the same
/// id is the same mail sent again), placed against the nearest kill: a first acceptance within a second or so of a kill
/// is a message the dead silo had sent but not yet recorded in the ledger; one far from every kill has another cause.
/// </summary>
public static class DuplicateSends
{
    /// <param name="records">Every record (Message-ID, acceptance time UTC) of the broadcast.</param>
    /// <param name="kills">The kills' times (UTC), ascending.</param>
    public static IReadOnlyList<string> Describe(IEnumerable<SinkDump.SinkRecord> records, IReadOnlyList<DateTime> kills)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(kills);
        var lines = new List<string>();
        foreach (var group in records.GroupBy(r => r.MessageId, StringComparer.Ordinal).Where(g => g.Count() > 1).OrderBy(g => g.Min(r => r.At)))
        {
            var times = group.Select(r => r.At).Order().ToList();
            var senders = string.Join(" then ", group.OrderBy(r => r.At).Select(r => r.Helo));
            var first = times[0];
            var again = (times[1] - first).TotalSeconds;
            if (kills.Count == 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{group.Key}: {times.Count} records ({senders}), again {again:F1} s after the first (no kill)"));
                continue;
            }

            // The kill nearest the first acceptance: a message the dead silo had sent (shortly before it, or still in the
            // sink's socket buffer after it) but not recorded.
            var (at, number) = kills.Select((k, i) => (At: k, Number: i + 1)).MinBy(k => Math.Abs((first - k.At).TotalSeconds));
            var offset = (first - at).TotalSeconds;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{group.Key}: {times.Count} records ({senders}), first {Math.Abs(offset):F2} s {(offset < 0 ? "before" : "after")} kill {number}, again {again:F1} s later"));
        }

        return lines;
    }
}
