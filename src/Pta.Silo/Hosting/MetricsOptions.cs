namespace Pta.Silo.Hosting;

/// <summary>
/// <c>Pta:Metrics</c>: who may read the gateway's <c>/metrics</c>, and a standalone silo's own Prometheus listener.
/// Metrics carry no guardian data (tags are carrier, category, route, lane and silo name only); the rule still keeps
/// them to operators, because send rates during a disaster are not for the public.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Pta:Metrics";

    /// <summary>Who may scrape the gateway's <c>/metrics</c>.</summary>
    public MetricsAccess Access { get; set; } = MetricsAccess.LoopbackOrCredential;

    /// <summary>A standalone silo's Prometheus listener port (<c>http://ListenAddress:Port/metrics</c>); null (default): none.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Where the silo's listener binds: loopback by default, so only a scraper on the same host (or a tunnel) reads it.
    /// The listener has no authentication; bind it wider only on a network that only operators reach.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>An OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) that receives traces and metrics; null (default): none.</summary>
    public Uri? OtlpEndpoint { get; set; }
}

/// <summary>Who may read the gateway's <c>/metrics</c>.</summary>
public enum MetricsAccess
{
    /// <summary>Default: a scraper on the gateway's own host without a credential; anyone else with the operator token or a board administrator's credential.</summary>
    LoopbackOrCredential = 0,

    /// <summary>Everyone presents the operator token or a board administrator's credential.</summary>
    Credential = 1,

    /// <summary>Anyone who reaches the port (a network only the scraper reaches).</summary>
    Anonymous = 2,
}
