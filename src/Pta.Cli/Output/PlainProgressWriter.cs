using System.Globalization;
using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Output;

/// <summary>
/// Progress for a pipe, a log file or CI: one line per event with the totals (the gateway pushes an event when a count
/// changes; its heartbeat, the same state every 15 s, is not repeated), and the per-school and per-carrier lines once the broadcast is over.
/// Fixed "name value" pairs, so the lines grep and parse easily.
/// </summary>
internal sealed class PlainProgressWriter(IAnsiConsole console, TimeProvider time)
{
    private string? _last;

    /// <summary>Writes the totals, unless they are what the last line said (the gateway's heartbeat repeats them).</summary>
    public void Write(LiveProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var confirmed = progress.Confirmation is { } c
            ? string.Create(CultureInfo.InvariantCulture, $" confirmed {c.ConfirmedHouseholds}/{c.Households}")
            : "";
        var line = $"{progress.BroadcastId} {progress.Status} {Line(progress.Counts)}{confirmed}";
        if (line != _last)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():HH:mm:ss} {line}"));
            _last = line;
        }
    }

    public void WriteBreakdown(LiveProgress progress, IReadOnlyDictionary<string, string> schoolNames)
    {
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var school in progress.Schools)
        {
            var name = schoolNames.TryGetValue(school.SchoolId, out var known) ? $" ({known})" : "";
            console.WriteLine($"  school {school.SchoolId}{name} {Line(school.Counts)}");
        }

        foreach (var carrier in progress.Carriers)
        {
            console.WriteLine($"  carrier {carrier.Carrier} {Line(carrier.Counts)}");
        }
    }

    private static string Line(Counts counts) =>
        string.Create(CultureInfo.InvariantCulture,
            $"sent {counts.Sent}/{counts.Recipients} deferred {counts.Deferred} bounced {counts.Failed}");
}
