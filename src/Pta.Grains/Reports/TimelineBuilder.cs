using System.Runtime.InteropServices;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Reports;

/// <summary>Per-minute counts (UTC): addresses sent and bounced by the time of their latest outcome, households by their confirmation.</summary>
internal sealed class TimelineBuilder
{
    private readonly Dictionary<long, Minute> _minutes = [];

    public void Add(HouseholdIndex index, int household)
    {
        foreach (var r in index.RecipientsOf(household))
        {
            if (index.Outcome(r) is not { } outcome)
            {
                continue;
            }

            if (outcome.Status == Delivery.DeliveryStatus.Sent)
            {
                At(outcome.RecordedAt).Sent++;
            }
            else if (outcome.Status is Delivery.DeliveryStatus.Failed or Delivery.DeliveryStatus.InvalidAddress)
            {
                At(outcome.RecordedAt).Bounced++;
            }
        }

        if (index.ConfirmedAt(household) is { } confirmedAt)
        {
            At(confirmedAt).Confirmed++;
        }
    }

    public IReadOnlyList<ReportMinute> Build() =>
        [.. _minutes.OrderBy(m => m.Key).Select(m => new ReportMinute(new DateTimeOffset(m.Key, TimeSpan.Zero), m.Value.Sent, m.Value.Bounced, m.Value.Confirmed))];

    private ref Minute At(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return ref CollectionsMarshal.GetValueRefOrAddDefault(_minutes, ticks - ticks % TimeSpan.TicksPerMinute, out _);
    }

    private struct Minute
    {
        public int Sent;
        public int Bounced;
        public int Confirmed;
    }
}
