using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Pta.Silo.Hosting;

/// <summary>
/// The one rule for the project's own stores outside grain state (audit log, confirmations, attachments, CAP alerts):
/// PostgreSQL in production, through the process's one <see cref="NpgsqlDataSource"/>, so every gateway and silo sees
/// the same rows; memory in the embedded default.
/// </summary>
internal static class StoreHostingExtensions
{
    public static IServiceCollection AddPtaStore<TService, TPostgres, TInMemory>(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
        where TService : class
        where TPostgres : class, TService
        where TInMemory : class, TService
    {
        ArgumentNullException.ThrowIfNull(postgres);
        if (mode == ClusterMode.PostgreSql)
        {
            var connectionString = SiloHostingExtensions.RequireConnectionString(postgres);
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.TryAddSingleton<TService, TPostgres>();
        }
        else
        {
            services.TryAddSingleton<TService, TInMemory>();
        }

        return services;
    }
}
