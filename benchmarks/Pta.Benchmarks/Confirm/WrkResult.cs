using System.Globalization;

namespace Pta.Benchmarks.Confirm;

/// <summary>
/// What walk-links.lua's <c>done()</c> printed: links in the file, links answered (any status but the fillers' 404),
/// answers other than 200, filler requests sent, all requests wrk completed, its duration and latency percentiles (µs),
/// and its socket errors.
/// </summary>
public sealed record WrkResult(
    long Links, long Answered, long NotOk, long Fillers, long Requests, long DurationUs, long P50Us, long P90Us, long P99Us, long MaxUs, long Errors)
{
    /// <summary>Links answered per second of wrk's run.</summary>
    public double LinksPerSecond => Answered / (DurationUs / 1e6);

    public static WrkResult? Parse(string? line)
    {
        if (line is null)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0], f => long.Parse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture));
        return new WrkResult(fields["links"], fields["answered"], fields["not_ok"], fields["fillers"], fields["requests"],
            fields["duration_us"], fields["p50_us"], fields["p90_us"], fields["p99_us"], fields["max_us"],
            fields["connect_errors"] + fields["read_errors"] + fields["write_errors"] + fields["timeouts"]);
    }
}
