using Pta.Grains.Abstractions;

namespace Pta.Grains.Reports;

/// <summary>Adds households up into one report line.</summary>
internal sealed class ReportCountsBuilder
{
    private int _households;
    private int _addresses;
    private int _delivered;
    private int _deferred;
    private int _bounced;
    private int _reached;
    private int _confirmed;

    public void Add(HouseholdTally household)
    {
        _households++;
        _addresses += household.Addresses;
        _delivered += household.Delivered;
        _deferred += household.Deferred;
        _bounced += household.Bounced;
        _reached += household.Delivered > 0 ? 1 : 0;
        _confirmed += household.Confirmed ? 1 : 0;
    }

    public ReportCounts Build() => new(
        _households, _addresses, _delivered, _deferred, _bounced, _addresses - _delivered - _deferred - _bounced, _reached, _confirmed,
        _households == 0 ? 0 : Math.Round(100.0 * _confirmed / _households, 1, MidpointRounding.AwayFromZero));
}
