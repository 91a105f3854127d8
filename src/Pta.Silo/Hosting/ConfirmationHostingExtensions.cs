using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pta.Grains.Confirmation;

namespace Pta.Silo.Hosting;

/// <summary>
/// Read confirmation (受信確認), for silos (the delivery shards sign the links; reports and follow-ups read the store)
/// and gateways alike (they check the links and record the clicks, also as cluster clients without a silo).
/// The links are signed with a key derived from the guardian links' (<c>AddPtaLinks</c>, which both already call).
/// </summary>
public static class ConfirmationHostingExtensions
{
    public static IServiceCollection AddPtaConfirmation(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        services.TryAddSingleton<ConfirmationLinks>();
        return services.AddPtaStore<IConfirmationStore, PostgresConfirmationStore, InMemoryConfirmationStore>(mode, postgres);
    }
}
