using System.Globalization;
using System.Text.RegularExpressions;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// The gateway's <c>/metrics</c> as an operator reads it: <c>pta_silo_messages_sent_total{silo,carrier}</c> summed per
/// silo. The benchmark's gateway runs on loopback, which the default access rule lets scrape without a credential.
/// </summary>
public static partial class SiloSentMetrics
{
    /// <summary>Messages sent so far per silo name, as one scrape of the gateway shows them.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ScrapeAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
        return Parse(text);
    }

    public static IReadOnlyDictionary<string, long> Parse(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match line in SentLine().Matches(exposition))
        {
            var silo = line.Groups["silo"].Value;
            var value = double.Parse(line.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            totals[silo] = totals.GetValueOrDefault(silo) + (long)value;
        }

        return totals;
    }

    [GeneratedRegex("""^pta_silo_messages_sent_total\{[^}]*silo="(?<silo>[^"]*)"[^}]*\} (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex SentLine();
}
