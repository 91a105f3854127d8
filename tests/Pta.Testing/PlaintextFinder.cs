using System.Text;
using System.Text.RegularExpressions;

namespace Pta.Testing;

/// <summary>
/// Looks for values in a database dump the way a reader of a stolen backup would: as text anywhere, case-insensitively,
/// and inside every bytea value (pg_dump prints those as <c>\x</c> hex, so each hex run is decoded and searched too).
/// </summary>
public static partial class PlaintextFinder
{
    /// <summary>Each needle found, with where: "text" or "bytea".</summary>
    public static IReadOnlyList<(string Needle, string Form)> Find(string dump, IEnumerable<string> needles)
    {
        ArgumentNullException.ThrowIfNull(dump);
        ArgumentNullException.ThrowIfNull(needles);
        var decoded = string.Join('\n', HexRun().Matches(dump).Select(m => Encoding.Latin1.GetString(Convert.FromHexString(m.Groups[1].Value))));
        var found = new List<(string, string)>();
        foreach (var needle in needles.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (dump.Contains(needle, StringComparison.OrdinalIgnoreCase))
            {
                found.Add((needle, "text"));
            }

            if (decoded.Contains(needle, StringComparison.OrdinalIgnoreCase))
            {
                found.Add((needle, "bytea"));
            }
        }

        return found;
    }

    // \x followed by an even number of hex digits; COPY text format doubles the backslash.
    [GeneratedRegex(@"\\x((?:[0-9a-fA-F]{2})+)")]
    private static partial Regex HexRun();
}
