using System.ComponentModel.DataAnnotations;

namespace Pta.Silo.Hosting;

/// <summary>
/// Cluster settings (section <c>Pta:Cluster</c>). Ports are configuration so that several silos and
/// gateways can share one machine and one database.
/// </summary>
public sealed class PtaClusterOptions
{
    public const string Section = "Pta:Cluster";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public ClusterMode Mode { get; set; } = ClusterMode.Embedded;

    [Required]
    public string ClusterId { get; set; } = "pta";

    [Required]
    public string ServiceId { get; set; } = "pta";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = DefaultSiloPort;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The address other silos reach this one at.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
