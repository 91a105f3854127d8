using Pta.Grains.Abstractions;

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

    /// <summary>Unknown-user replies from one carrier within <see cref="UnknownUserWindow"/> that pause it.</summary>
    public int UnknownUserBurst { get; set; } = 50;

    public TimeSpan UnknownUserWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long such a burst pauses the carrier (cluster-wide).</summary>
    public TimeSpan UnknownUserPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A carrier's name as configuration spells it (any case); enum numbers are not names.</summary>
    public static bool IsCarrierName(string name) =>
        Enum.TryParse<Carrier>(name, ignoreCase: true, out var carrier) && Enum.IsDefined(carrier) && !name.Any(char.IsDigit);

    /// <summary>Checked at silo start: a misspelt carrier would otherwise be silently unshaped.</summary>
    public bool IsValid() =>
        BatchSize >= 1 && UnknownUserBurst >= 1 && Carriers.All(c =>
            IsCarrierName(c.Key)
            && c.Value.MessagesPerSecond >= 0 && c.Value.Burst is null or >= 1 && c.Value.MaxConnections is null or >= 1
            && c.Value.RecipientsPerSession is >= 1 and <= 100);
}

/// <summary>One carrier's limit: a rate and the burst the bucket holds.</summary>
public sealed class CarrierLimit
{
    public double MessagesPerSecond { get; set; }

    /// <summary>Tokens the bucket holds when idle; defaults to one second's worth.</summary>
    public int? Burst { get; set; }

    /// <summary>
    /// Messages to this carrier in flight at once in the whole cluster (each is one SMTP transaction, which is what a
    /// carrier counts as a session holding a recipient); each silo takes an equal share of it, at least one.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>
    /// Recipients one SMTP connection carries to this carrier's route before it is closed (at most 100, the carriers'
    /// limit). Every message is personal (one RCPT), so this is also messages per connection. Applies to a direct route
    /// (<c>Pta:Smtp:Routes</c>); a relay's own connections to the carrier are the relay's business.
    /// </summary>
    public int RecipientsPerSession { get; set; } = 100;
}
