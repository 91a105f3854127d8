namespace Pta.Gateway.Apis;

/// <summary>
/// The staff console: one page (<c>/console</c>) whose scripts and styles are static files under
/// <c>wwwroot/console/</c>, served by the gateway itself (no CDN, no build step). It signs in with the same API
/// credential the API takes, keeps it in sessionStorage (gone when the tab closes) and sends it as a Bearer header on
/// every call, so the console has no session of its own to steal and every rule of the API applies to it unchanged.
/// Served with the guardian pages' headers: our own origin only, no inline script or style, no framing, no-store.
/// </summary>
public static class ConsolePages
{
    public const string ConsolePage = "console/index.html";

    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/console", (HttpContext context, IWebHostEnvironment environment) => GuardianPages.Page(context, environment, ConsolePage))
            .WithName("ConsolePage").AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/", () => TypedResults.Redirect("/console")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
