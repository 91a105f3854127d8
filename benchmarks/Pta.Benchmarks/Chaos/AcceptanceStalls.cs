using System.Globalization;

namespace Pta.Benchmarks.Chaos;

/// <summary>
/// What the sink saw around each kill. A kill's stall is the longest pause between consecutive acceptances from the
/// kill until the next kill (the pause that spans the next kill still counts for this one), the kill itself opening
/// the first pause; the run's recovery figure is the longest of them.
/// </summary>
public static class AcceptanceStalls
{
    /// <summary>Seconds of the per-second acceptance profile logged after each kill.</summary>
    public const int ProfileSeconds = 30;

    /// <param name="acceptances">Every accepted record's time (UTC), ascending.</param>
    /// <param name="kills">The kills' times (UTC), ascending.</param>
    public static IReadOnlyList<double> LongestPauses(IReadOnlyList<DateTime> acceptances, IReadOnlyList<DateTime> kills)
    {
        ArgumentNullException.ThrowIfNull(acceptances);
        ArgumentNullException.ThrowIfNull(kills);
        var pauses = new List<double>(kills.Count);
        for (var k = 0; k < kills.Count; k++)
        {
            var next = k + 1 < kills.Count ? kills[k + 1] : DateTime.MaxValue;
            var previous = kills[k];
            var longest = 0.0;
            for (var i = FirstAfter(acceptances, kills[k]); i < acceptances.Count; i++)
            {
                longest = Math.Max(longest, (acceptances[i] - previous).TotalSeconds);
                previous = acceptances[i];
                if (acceptances[i] >= next)
                {
                    break;
                }
            }

            pauses.Add(longest);
        }

        return pauses;
    }

    /// <summary>"512 498 0 0 130 …": acceptances in each of the <see cref="ProfileSeconds"/> seconds after <paramref name="kill"/>.</summary>
    public static string Profile(IReadOnlyList<DateTime> acceptances, DateTime kill)
    {
        ArgumentNullException.ThrowIfNull(acceptances);
        var counts = new int[ProfileSeconds];
        for (var i = FirstAfter(acceptances, kill); i < acceptances.Count; i++)
        {
            var second = (int)(acceptances[i] - kill).TotalSeconds;
            if (second >= ProfileSeconds)
            {
                break;
            }

            counts[second]++;
        }

        return string.Join(' ', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The index of the first acceptance after <paramref name="moment"/> (binary search; the list is sorted).</summary>
    private static int FirstAfter(IReadOnlyList<DateTime> sorted, DateTime moment)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] <= moment)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
