using Microsoft.Extensions.DependencyInjection;
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
        return services.AddPtaStore<IAttachmentStore, PostgresAttachmentStore, InMemoryAttachmentStore>(mode, postgres);
    }
}
