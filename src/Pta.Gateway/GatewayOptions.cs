namespace Pta.Gateway;

/// <summary>Gateway settings (section <c>Pta:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Pta:Gateway";

    /// <summary>Run a silo inside the gateway process (default). False: connect to separate silos as a client.</summary>
    public bool CoHostSilo { get; set; } = true;

    /// <summary>The URL guardians and staff reach the gateway at; used in printed examples and, later, in mail links.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
}
