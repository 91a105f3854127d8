namespace Pta.Grains.Shaping;

/// <summary>
/// Cluster-wide sending limits per carrier (section <c>Pta:Shaping</c>). Off unless configured: carriers publish
/// no thresholds, so the numbers are the operator's, e.g. <c>"Carriers": { "Docomo": { "MessagesPerSecond": 200 } }</c>.
/// </summary>
public sealed class ShapingOptions
{
    public const string Section = "Pta:Shaping";

    public bool Enabled { get; set; }

    /// <summary>Permits a silo takes from a carrier's cluster-wide bucket at once: fewer grain calls, a little less smoothness.</summary>
    public int BatchSize { get; set; } = 20;

    public Dictionary<string, CarrierLimit> Carriers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One carrier's limit: a rate and the burst the bucket holds.</summary>
public sealed class CarrierLimit
{
    public double MessagesPerSecond { get; set; }

    /// <summary>Tokens the bucket holds when idle; defaults to one second's worth.</summary>
    public int? Burst { get; set; }
}
