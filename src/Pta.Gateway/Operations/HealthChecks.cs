using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Operations;

/// <summary>
/// Readiness checks behind <c>/health/ready</c>: the cluster answers (a co-hosted silo is up, or the client is
/// connected to one), and in production PostgreSQL answers. Liveness (<c>/health/live</c>) runs no check: a process
/// that answers HTTP is alive, and restarting it because the database is away would not help.
/// </summary>
public static class HealthChecks
{
    public const string ReadyTag = "ready";

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPtaHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var cluster = configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        var checks = services.AddHealthChecks().AddCheck<ClusterCheck>("cluster", tags: [ReadyTag]);
        if (cluster.Mode == ClusterMode.PostgreSql)
        {
            var postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
            services.AddSingleton(new PostgresCheck(postgres.ConnectionString ?? ""));
            checks.AddCheck<PostgresCheck>("postgresql", tags: [ReadyTag]);
        }

        return services;
    }

    /// <summary>Healthy when the management grain lists the active silos within the budget.</summary>
    internal sealed class ClusterCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Budget, cancellationToken);
                return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)") : HealthCheckResult.Unhealthy("no active silo");
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy($"the cluster did not answer: {ex.GetType().Name}");
            }
        }
    }

    /// <summary>Healthy when <c>SELECT 1</c> answers within the budget. Its own small pool, so a busy sending pool does not make it look down.</summary>
    internal sealed class PostgresCheck(string connectionString) : IHealthCheck, IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 2, Timeout = (int)Budget.TotalSeconds }.ConnectionString);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Budget);
                await using var command = _dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL did not answer: {ex.GetType().Name}");
            }
        }

        public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
    }
}
