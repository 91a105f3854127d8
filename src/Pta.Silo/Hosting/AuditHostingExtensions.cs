using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Audit;
using Pta.Grains.Guardians;

namespace Pta.Silo.Hosting;

/// <summary>The audit trail and the retention rules, for silos (purges) and gateways (staff reads) alike.</summary>
public static class AuditHostingExtensions
{
    public static IServiceCollection AddPtaAudit(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddPtaStore<IAuditLog, PostgresAuditLog, InMemoryAuditLog>(mode, postgres);
    }
}
