using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Pta.Grains.Guardians;
using Pta.Grains.Persistence;

namespace Pta.Silo.Hosting;

/// <summary>
/// Encryption at rest (section <c>Pta:AtRest</c>): the keys that seal grain state and the audience's addresses in
/// PostgreSQL, and the lookup key for finding a guardian by address. The production profile refuses to start without
/// them; the embedded default, which keeps nothing at rest, makes them up when none are given.
/// </summary>
public static class AtRestHostingExtensions
{
    public static IServiceCollection AddPtaAtRest(this IServiceCollection services, ClusterMode mode)
    {
        services.AddOptions<AtRestOptions>().BindConfiguration(AtRestOptions.Section)
            .PostConfigure(o =>
            {
                if (mode == ClusterMode.Embedded && !o.IsConfigured)
                {
                    o.Keys["1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                    o.LookupKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtRestOptions>, AtRestOptionsValidator>());
        services.TryAddSingleton<AtRestProtector>();
        services.TryAddSingleton<AddressOwners>();
        return services;
    }

    /// <summary>
    /// The <c>reseal</c> command (<see cref="AtRestReseal"/>): everything in the database under the active key, plain
    /// rows of an upgraded database sealed, addresses in stored replies masked. Applies the schema first.
    /// </summary>
    public static async Task<AtRestResealReport> ResealAtRestAsync(this IHostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var postgres = builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new();
        var options = builder.Configuration.GetSection(AtRestOptions.Section).Get<AtRestOptions>() ?? new();
        if (new AtRestOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(AtRestOptions.Section, typeof(AtRestOptions), invalid.Failures);
        }

        await builder.ApplyPtaSchemaAsync(force: true, cancellationToken);
        using var protector = new AtRestProtector(Options.Create(options));
        await using var dataSource = NpgsqlDataSource.Create(SiloHostingExtensions.RequireConnectionString(postgres));
        return await new AtRestReseal(dataSource, protector).RunAsync(cancellationToken);
    }
}
