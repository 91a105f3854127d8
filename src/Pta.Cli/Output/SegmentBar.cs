using System.Text;
using Pta.Cli.Api;

namespace Pta.Cli.Output;

/// <summary>
/// One bar for one line of a broadcast, in markup: sent (green), deferred (yellow, to be retried), bounced (red),
/// and what is still pending (grey). Spectre's progress bars show one value; an operator needs to see at a glance
/// whether a carrier's part is going out or piling up as deferrals, hence segments.
/// </summary>
internal static class SegmentBar
{
    public static string Markup(Counts counts, int width)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Recipients <= 0)
        {
            return $"[grey]{new string('░', width)}[/]";
        }

        // Cell boundaries from cumulative counts, so the segments always add up to the width exactly.
        var sentEnd = Cells(counts.Sent, counts.Recipients, width);
        var deferredEnd = Cells(counts.Sent + counts.Deferred, counts.Recipients, width);
        var failedEnd = Cells(counts.Sent + counts.Deferred + counts.Failed, counts.Recipients, width);
        var bar = new StringBuilder();
        Append(bar, "green", '█', sentEnd);
        Append(bar, "yellow", '█', deferredEnd - sentEnd);
        Append(bar, "red", '█', failedEnd - deferredEnd);
        Append(bar, "grey", '░', width - failedEnd);
        return bar.ToString();
    }

    private static int Cells(int count, int total, int width) => Math.Clamp((int)Math.Round((double)count * width / total), 0, width);

    private static void Append(StringBuilder bar, string colour, char cell, int cells)
    {
        if (cells > 0)
        {
            bar.Append('[').Append(colour).Append(']').Append(cell, cells).Append("[/]");
        }
    }
}
