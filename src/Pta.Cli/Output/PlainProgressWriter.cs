using System.Globalization;
using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Output;

/// <summary>
/// Progress for a pipe, a log file or CI: one line per event with the totals (the gateway pushes an event only when a
/// count changes, and a heartbeat every 15 s), and the per-school and per-carrier lines once the broadcast is over.
/// Fixed "name value" pairs, so the lines grep and parse easily.
/// </summary>
internal sealed class PlainProgressWriter(IAnsiConsole console, TimeProvider time)
{
    public void Write(LiveProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var confirmed = progress.Confirmation is { } c
            ? string.Create(CultureInfo.InvariantCulture, $" confirmed {c.ConfirmedHouseholds}/{c.Households}")
            : "";
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():HH:mm:ss} {progress.BroadcastId} {progress.Status} {Line(progress.Counts)}{confirmed}"));
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
