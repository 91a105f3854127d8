namespace Pta.Grains.Reports;

/// <summary>One household's addresses by their latest outcome, and whether it confirmed.</summary>
internal readonly record struct HouseholdTally(int Addresses, int Delivered, int Deferred, int Bounced, bool Confirmed)
{
    public int Pending => Addresses - Delivered - Deferred - Bounced;
}
