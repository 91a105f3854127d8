using Microsoft.Extensions.DependencyInjection;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Grains.Registration;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>The services guardian and registration grains need, as a silo registers them, for test clusters.</summary>
public static class RegistrationServices
{
    public static void Add(IServiceCollection services, PostgresTestDatabase database, TimeProvider time, IMailTransport transport)
    {
        services.AddSingleton(time);
        services.AddSingleton(transport);
        services.AddSingleton<IAuditLog>(new PostgresAuditLog(database.DataSource));
        services.AddSingleton(TestAtRestKeys.Owners()); // guardian and registration grains find owners by address
        services.AddOptions<GuardianLinkOptions>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<GuardianMailer>();
    }
}
