using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.OpenApi;
using Pta.Gateway.Access;
using Pta.Gateway.Cap;
using Pta.Gateway.Demo;
using Pta.Gateway.RateLimits;
using Pta.Silo.Hosting;

namespace Pta.Gateway;

/// <summary>Composition of the gateway: cluster access, problem details, authentication, OpenAPI, demo seeding.</summary>
public static class GatewayHostingExtensions
{
    public const string DemoSeedKey = "Pta:Demo:Seed";

    /// <summary>Co-hosts a silo (default) or connects to separate silos as a client.</summary>
    public static WebApplicationBuilder AddPtaCluster(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new();
        if (gateway.CoHostSilo)
        {
            builder.AddPtaSilo();
        }
        else
        {
            builder.AddPtaClusterClient();
        }

        return builder;
    }

    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section);
        builder.Services.TryAddSingletonTimeProvider();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Apis.OutageExceptionHandler>();

        // Enums travel as camelCase strings ("emergency", "completed"), as the API documents them.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddPublicRateLimits();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Pta.Orleans gateway";
            document.Info.Description = "Emergency broadcasts from city education boards and schools to guardians. " +
                                        "Every call needs `Authorization: Bearer pta.<key>.<secret>`; errors are RFC 9457 problem details.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A board or school API credential.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
            return Task.CompletedTask;
        }));

        var cluster = builder.Configuration.GetSection(PtaClusterOptions.Section).Get<PtaClusterOptions>() ?? new();
        builder.Services.AddPtaLinks(cluster.Mode);
        builder.Services.AddPtaAudit(cluster.Mode, builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new());
        builder.Services.AddPtaAttachments(cluster.Mode, builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new());
        builder.Services.AddSingleton<Apis.AttachmentCache>();
        builder.Services.AddPtaConfirmation(cluster.Mode, builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new());
        builder.Services.AddCapIntake(cluster.Mode, builder.Configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new());
        var seed = builder.Configuration.GetValue<bool?>(DemoSeedKey) ?? cluster.Mode == ClusterMode.Embedded;
        if (seed)
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }

        return builder;
    }

    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles(Apis.GuardianPages.StaticFiles());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter(); // before authentication: a refused guardian request costs no more than its count
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Pta.Orleans v1");
            o.RoutePrefix = "docs";
            o.DocumentTitle = "Pta.Orleans API";
        });
        return app;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(services, TimeProvider.System);
}
