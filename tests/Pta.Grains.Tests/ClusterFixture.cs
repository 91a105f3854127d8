using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster per test collection, with grain state and reminders in a fresh
/// PostgreSQL database through Orleans' ADO.NET providers and the project's own schema.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public PostgresTestDatabase Database { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public CapturingTransport Transport { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await PostgresTestDatabase.CreateAsync("grains");
        var connectionString = Database.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage(StorageNames.State, o => o.Configure<Serializer>((options, serializer) =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer); // as the production silo
            }));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(TimeProvider.System);
            host.Services.AddSingleton<IMailTransport>(Transport);
            host.Services.AddSingleton<IDeliveryLedger>(new PostgresDeliveryLedger(Database.DataSource));
            host.Services.Configure<DeliveryOptions>(o =>
            {
                o.ShardSize = 7; // small, so even a small roster spans several shards
                o.RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)];
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
