using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using Pta.Grains.Abstractions;
using Pta.Grains.Broadcasts;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Persistence;
using Pta.Grains.Shaping;

namespace Pta.Silo.Hosting;

/// <summary>
/// Composes a silo: embedded (localhost clustering, memory storage and reminders) or production
/// (ADO.NET clustering, storage and reminders on PostgreSQL), plus the delivery services its grains call.
/// Used by the silo host and by the gateway, which co-hosts a silo by default.
/// </summary>
public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET invariant Orleans resolves to Npgsql's factory.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    public static IHostApplicationBuilder AddPtaSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
        var dashboard = builder.Configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new();
        builder.Services.AddOptions<PtaClusterOptions>().BindConfiguration(PtaClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });

            if (cluster.Mode == ClusterMode.PostgreSql)
            {
                var connectionString = RequireConnectionString(postgres);
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = connectionString;
                });
                silo.Configure<ClusterMembershipOptions>(FailureDetection.Configure);
                silo.AddAdoNetGrainStorage(StorageNames.State, o => o.Configure<Serializer, AtRestProtector>((options, serializer, protector) =>
                {
                    options.Invariant = NpgsqlInvariant;
                    options.ConnectionString = connectionString;

                    // Orleans' own serializer, not the JSON default: every state type is [GenerateSerializer] with
                    // stable [Id]s (version tolerant), and records with read-only collections round-trip as they are.
                    // Sealed whole, because that format keeps every string (every address) readable in the row.
                    options.GrainStorageSerializer = new SealedGrainStorageSerializer(new OrleansGrainStorageSerializer(serializer), protector);
                }));
                silo.UseAdoNetReminderService(o =>
                {
                    o.Invariant = NpgsqlInvariant;
                    o.ConnectionString = connectionString;
                });
                silo.AddIncomingGrainCallFilter<DiscardActivationOnOutageFilter>();
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
                silo.AddMemoryGrainStorage(StorageNames.State);
                silo.UseInMemoryReminderService();
            }

            if (dashboard.Enabled)
            {
                silo.AddDashboard(); // collects this silo's statistics; a gateway serves the pages (operators only)
            }
        });

        builder.AddPtaTelemetry();
        builder.Services.AddHostedService<SiloRatesPublisher>();

        builder.Services.AddPtaAtRest(cluster.Mode);
        builder.Services.AddPtaDelivery(builder.Configuration, builder.Environment, cluster.Mode, postgres);
        builder.Services.AddPtaRegistration(builder.Configuration, cluster.Mode);
        builder.Services.AddPtaAudit(cluster.Mode, postgres);
        builder.Services.AddPtaConfirmation(cluster.Mode, postgres);
        return builder;
    }

    /// <summary>The delivery services grains depend on: transport, ledger and their options.</summary>
    public static IServiceCollection AddPtaDelivery(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, ClusterMode mode, PostgresOptions postgres)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(postgres);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Routes.All(r => ShapingOptions.IsCarrierName(r.Key) && !string.IsNullOrWhiteSpace(r.Value.Host) && r.Value.Port is > 0 and <= 65535 && r.Value.Connections >= 1),
                "Pta:Smtp:Routes: each route is a carrier (Docomo, Au, Softbank, Ymobile, Gmail, Other) with a Host, a Port and Connections ≥ 1.")
            .ValidateOnStart();
        services.AddOptions<ShapingOptions>().BindConfiguration(ShapingOptions.Section)
            .Validate(o => o.IsValid(), "Pta:Shaping: carriers are Docomo, Au, Softbank, Ymobile, Gmail or Other; MessagesPerSecond " +
                                        "must be ≥ 0, Burst and MaxConnections ≥ 1, RecipientsPerSession 1–100, UnknownUserBurst ≥ 1.")
            .ValidateOnStart();
        services.TryAddSingleton<CarrierThrottle>();
        services.AddPtaMetrics();

        // A missing key must stop the silo at start, not fail every send of the first broadcast.
        services.AddOptions<DkimOptions>().BindConfiguration(DkimOptions.Section)
            .Validate(o => !o.IsConfigured || File.Exists(o.PrivateKeyPath), "Pta:Dkim:PrivateKeyPath names no readable file.")
            .ValidateOnStart();
        services.TryAddSingleton<DkimSigning>();
        var dataDirectory = DataDirectory.Resolve(configuration, environment);
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .PostConfigure(o => o.Directory = Path.GetFullPath(
                string.IsNullOrWhiteSpace(configuration[$"{OutboxOptions.Section}:Directory"]) ? Path.Combine(dataDirectory, "outbox") : o.Directory,
                environment.ContentRootPath));

        var smtpConfigured = !string.IsNullOrWhiteSpace(configuration[$"{SmtpOptions.Section}:Host"]);
        if (smtpConfigured)
        {
            services.TryAddSingleton<IMailTransport, SmtpMailTransport>();
        }
        else
        {
            services.TryAddSingleton<IMailTransport, OutboxMailTransport>();
        }

        if (mode == ClusterMode.PostgreSql)
        {
            var connectionString = RequireConnectionString(postgres);
            // No reset when a connection goes back to the pool: nothing here leaves session state behind (no SET, no
            // temporary tables, no session locks), and the reset Npgsql would otherwise run before the next command
            // (RESET ALL, DISCARD TEMP, … about seven statements) came with every one of the sending silo's short
            // statements: each group-committed ledger COPY, lease and audience read.
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString));
            services.TryAddSingleton<IDeliveryLedger, PostgresDeliveryLedger>();
            services.TryAddSingleton<IAudienceStore, PostgresAudienceStore>();
            services.TryAddSingleton<IShardLeases, PostgresShardLeases>();
        }
        else
        {
            services.TryAddSingleton<IDeliveryLedger, InMemoryDeliveryLedger>();
            services.TryAddSingleton<IAudienceStore, InMemoryAudienceStore>();
            services.TryAddSingleton<IShardLeases, InMemoryShardLeases>();
        }

        services.TryAddSingleton<OutcomeRecorder>();

        services.TryAddSingleton<BroadcastNotices>();
        return services;
    }

    /// <summary>
    /// Applies the database schema before the silo starts, when the production profile asks for it:
    /// Orleans' clustering provider needs its tables before the first membership write.
    /// <paramref name="force"/> applies it whatever the mode (the <c>schema</c> command), and so needs a connection string.
    /// </summary>
    public static async Task ApplyPtaSchemaAsync(this IHostApplicationBuilder builder, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = builder.Configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
        if (force || (cluster.Mode == ClusterMode.PostgreSql && postgres.ApplySchemaOnStart))
        {
            await DatabaseSchema.EnsureCreatedAsync(RequireConnectionString(postgres), cancellationToken);
        }
    }

    internal static string RequireConnectionString(PostgresOptions postgres) =>
        string.IsNullOrWhiteSpace(postgres.ConnectionString)
            ? throw new OptionsValidationException(PostgresOptions.Section, typeof(PostgresOptions),
                [$"{PostgresOptions.Section}:ConnectionString is required when {PtaClusterOptions.Section}:Mode is PostgreSql."])
            : postgres.ConnectionString;
}
