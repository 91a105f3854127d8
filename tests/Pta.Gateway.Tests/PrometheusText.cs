using System.Globalization;
using System.Text.RegularExpressions;

namespace Pta.Gateway.Tests;

/// <summary>Reads the Prometheus text format: samples by metric name and labels.</summary>
public static partial class PrometheusText
{
    /// <summary>Every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> Samples(
        string text, string name, params (string Key, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }

            var parsed = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.All(l => parsed.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                found.Add((parsed, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return found;
    }

    /// <summary>The sum of the matching samples; 0 when there is none.</summary>
    public static double Sum(string text, string name, params (string Key, string Value)[] labels) =>
        Samples(text, name, labels).Sum(s => s.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ ]+)")]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
