using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Pta.Silo.Hosting;

/// <summary>
/// Composes a cluster client for a gateway that does not co-host a silo: it finds the silos' gateways
/// through the same membership table (PostgreSQL) or on localhost (embedded).
/// </summary>
public static class ClientHostingExtensions
{
    public static IHostApplicationBuilder AddPtaClusterClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
        var dashboard = builder.Configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (cluster.Mode == ClusterMode.PostgreSql)
            {
                var connectionString = SiloHostingExtensions.RequireConnectionString(postgres);
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = SiloHostingExtensions.NpgsqlInvariant;
                    o.ConnectionString = connectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort);
            }

            if (dashboard.Enabled)
            {
                client.AddDashboard(); // the pages on this gateway; the silos collect (they need Pta:Dashboard:Enabled too)
            }
        });
        builder.AddPtaTelemetry();
        return builder;
    }
}
