using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Output;

/// <summary>Says once why a watch is not moving: the broadcast waits for approval or for its send time.</summary>
internal sealed class WaitingHint(IAnsiConsole error)
{
    private string? _shownFor;

    public void Show(LiveProgress progress)
    {
        if (progress.Status == _shownFor)
        {
            return;
        }

        var hint = progress.Status switch
        {
            BroadcastStatuses.AwaitingApproval => "waits for approval (the principal, or a board administrator for board staff's drafts)",
            BroadcastStatuses.Scheduled => "is scheduled; it sends at its send time",
            _ => null,
        };
        if (hint is not null)
        {
            error.MarkupLineInterpolated($"[yellow]{progress.BroadcastId} {hint}.[/] Ctrl-C stops watching; the broadcast stays as it is.");
            _shownFor = progress.Status;
        }
    }
}
