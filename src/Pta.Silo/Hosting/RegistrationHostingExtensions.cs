using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pta.Grains.Registration;
using Pta.Grains.Registration.Inbound;

namespace Pta.Silo.Hosting;

/// <summary>Self-registration services: signed links (silos and gateways), the mails and the blank-mail intake (silos).</summary>
public static class RegistrationHostingExtensions
{
    /// <summary>
    /// Signed guardian links. A cluster needs one key shared by every process, so the production profile
    /// refuses to start without <c>Pta:Links:SigningKey</c>; the embedded default makes one up.
    /// </summary>
    public static IServiceCollection AddPtaLinks(this IServiceCollection services, ClusterMode mode)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GuardianLinkOptions>().BindConfiguration(GuardianLinkOptions.Section).ValidateDataAnnotations()
            .Validate(o => mode == ClusterMode.Embedded || !string.IsNullOrWhiteSpace(o.SigningKey),
                "Pta:Links:SigningKey (base64 of 32 random bytes, the same on every silo and gateway) is required in the PostgreSql profile.")
            .ValidateOnStart();
        services.TryAddSingleton<LinkSigner>();
        return services;
    }

    /// <summary>The registration mails, the blank-mail handler and, when configured, the IMAP poller.</summary>
    public static IServiceCollection AddPtaRegistration(this IServiceCollection services, IConfiguration configuration, ClusterMode mode)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPtaLinks(mode);
        services.TryAddSingleton<GuardianMailer>();
        services.TryAddSingleton<IBlankMailHandler, BlankMailHandler>();
        services.TryAddSingleton<BlankMailThrottle>();
        services.AddOptions<BlankMailLimitOptions>().BindConfiguration(BlankMailLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ImapOptions>().BindConfiguration(ImapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetValue<bool>($"{ImapOptions.Section}:{nameof(ImapOptions.Enabled)}"))
        {
            services.AddHostedService<ImapBlankMailPoller>();
        }

        return services;
    }
}
