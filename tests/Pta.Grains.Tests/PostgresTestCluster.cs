using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Persistence;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// Builds an in-process Orleans test cluster whose grain state and reminders live in a fresh PostgreSQL
/// database through Orleans' ADO.NET providers, configured as the production silo configures them.
/// </summary>
public static class PostgresTestCluster
{
    public static async Task<(PostgresTestDatabase Database, InProcessTestCluster Cluster)> StartAsync(
        string purpose, Action<IServiceCollection, PostgresTestDatabase> configureServices)
    {
        var database = await PostgresTestDatabase.CreateAsync(purpose);
        var connectionString = database.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage(StorageNames.State, o => o.Configure<Serializer>((options, serializer) =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
                options.GrainStorageSerializer = new SealedGrainStorageSerializer(new OrleansGrainStorageSerializer(serializer), TestAtRestKeys.Protector()); // as the production silo
            }));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        builder.ConfigureSiloHost((_, host) => configureServices(host.Services, database));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (database, cluster);
    }
}
