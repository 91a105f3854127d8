using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Cap;

/// <summary>CAP intake's rules (checked at start-up, so a misspelt rule stops the gateway rather than an alert) and its alert log.</summary>
public static class CapServiceCollectionExtensions
{
    public static IServiceCollection AddCapIntake(this IServiceCollection services, ClusterMode mode, PostgresOptions postgres)
    {
        services.AddOptions<CapOptions>().BindConfiguration(CapOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CapOptions>, CapOptionsValidator>());
        return services.AddPtaCapAlertLog(mode, postgres);
    }
}
