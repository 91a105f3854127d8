using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Pta.Grains.Attachments;

namespace Pta.Silo.Hosting;

/// <summary>
/// Where broadcast attachments live: PostgreSQL in production, so every gateway serves every file; memory in the
/// embedded default. Only gateways need it (they take uploads, check ownership and serve the links).
/// </summary>
public static class AttachmentHostingExtensions
{
    public static IServiceCollection AddPtaAttachments(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        if (mode == ClusterMode.PostgreSql)
        {
            var connectionString = SiloHostingExtensions.RequireConnectionString(postgres);
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.TryAddSingleton<IAttachmentStore, PostgresAttachmentStore>();
        }
        else
        {
            services.TryAddSingleton<IAttachmentStore, InMemoryAttachmentStore>();
        }

        return services;
    }
}
