namespace Pta.Silo.Hosting;

/// <summary>
/// <c>Pta:Dashboard</c>: the Orleans Dashboard for operators. Off by default. When on, every silo collects its
/// statistics and the gateway serves the dashboard at <see cref="Path"/> to the operator credential only
/// (docs/operations.md "Metrics").
/// </summary>
public sealed class DashboardSettings
{
    public const string Section = "Pta:Dashboard";

    public bool Enabled { get; set; }

    /// <summary>Where the gateway serves it.</summary>
    public string Path { get; set; } = "/dashboard";
}
