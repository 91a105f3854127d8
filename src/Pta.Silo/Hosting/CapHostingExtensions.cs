using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Cap;

namespace Pta.Silo.Hosting;

/// <summary>
/// Where CAP intake keeps the alert → broadcast mapping: PostgreSQL in production, so any gateway finds what another
/// created when an Update or Cancel arrives; memory in the embedded default. Only gateways need it.
/// </summary>
public static class CapHostingExtensions
{
    public static IServiceCollection AddPtaCapAlertLog(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        return services.AddPtaStore<ICapAlertLog, PostgresCapAlertLog, InMemoryCapAlertLog>(mode, postgres);
    }
}
