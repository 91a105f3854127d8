using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Delivery;

/// <summary>
/// The relay (smart host) the silos send through, and optional direct routes per carrier (direct-to-MX: the carrier's
/// inbound hosts). An empty host selects the .eml outbox instead.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Pta:Smtp";
    public const int DefaultConnections = 8;

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Connections kept open per silo; reused across messages and broadcasts.</summary>
    [Range(1, 256)]
    public int Connections { get; set; } = DefaultConnections;

    /// <summary>Messages sent on one connection before it is closed and opened afresh.</summary>
    [Range(1, 1_000_000)]
    public int MessagesPerConnection { get; set; } = 1000;

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The name given in EHLO.</summary>
    public string HeloName { get; set; } = "pta-silo";

    /// <summary>
    /// Direct routes by carrier name (Docomo, Au, Softbank, Ymobile, Gmail, Other), e.g. to the carrier's inbound MX
    /// hosts. A carrier without one goes through <see cref="Host"/>. Each route has its own pool of connections.
    /// </summary>
    public Dictionary<string, SmtpRoute> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>A direct egress path to one carrier.</summary>
public sealed class SmtpRoute
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Connections this silo keeps open to the route (the carrier's cluster-wide limit also applies).</summary>
    [Range(1, 256)]
    public int Connections { get; set; } = 4;
}
