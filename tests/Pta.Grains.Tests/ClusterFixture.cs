using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Pta.Grains.Broadcasts;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Telemetry;
using Pta.Grains.Shaping;
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

    /// <summary>The cluster's read confirmations, for tests that confirm on a guardian's behalf.</summary>
    public InMemoryConfirmationStore Confirmations { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        (Database, Cluster) = await PostgresTestCluster.StartAsync("grains", (services, database) => AddServices(services, database, Transport, Confirmations));
    }

    /// <summary>What the silo needs besides Orleans, as this fixture's cluster has it; other clusters of the tests reuse it.</summary>
    public static void AddServices(
        IServiceCollection services, PostgresTestDatabase database, CapturingTransport transport, IConfirmationStore confirmations, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        time ??= TimeProvider.System;
        services.AddSingleton(time);
        services.AddSingleton(confirmations);
        services.AddSingleton<BroadcastNotices>();
        services.AddSingleton<IMailTransport>(transport);
        services.AddSingleton<CarrierThrottle>(); // shaping off (no carriers configured), as by default
        services.AddSingleton(new DkimSigning(Options.Create(new DkimOptions()))); // unsigned, as by default
        RegistrationServices.Add(services, database, time, transport); // guardian grains
        services.AddSingleton<ConfirmationLinks>(); // delivery shards sign confirmation links
        services.AddSingleton<IDeliveryLedger>(new PostgresDeliveryLedger(database.DataSource));
        services.AddMetrics();
        services.AddSingleton<PtaMetrics>(); // shards and broadcasts count what they send
        services.AddSingleton<OutcomeRecorder>();
        services.AddSingleton<IShardLeases>(new PostgresShardLeases(database.DataSource));
        services.AddSingleton<IAudienceStore>(new PostgresAudienceStore(database.DataSource, TestAtRestKeys.Protector()));
        services.Configure<DeliveryOptions>(o =>
        {
            o.ShardSize = 7; // small, so even a small roster spans several shards
            o.RetryDelays = o.UrgentRetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)];
            o.RetryExpiry = TimeSpan.FromSeconds(1); // a recipient that keeps deferring fails within a second
        });
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
