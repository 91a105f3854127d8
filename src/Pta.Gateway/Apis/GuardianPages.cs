using Microsoft.Extensions.FileProviders;
using Pta.Gateway.RateLimits;

namespace Pta.Gateway.Apis;

/// <summary>
/// The two pages guardians reach from their mails: the registration form (<c>/register/{ticketId}</c>, from the
/// blank-mail reply) and self-service (<c>/me/{token}</c>, from every completion mail). Both are static files
/// from the web root; their scripts read the id from the address bar and call the JSON APIs, so nothing from
/// the request is ever written into the HTML. The secret sits in the URL path, hence no-referrer and no-store.
/// </summary>
public static class GuardianPages
{
    /// <summary>
    /// Only our own origin, no inline script or style (the pages have none), no plugins, no framing (a framed form
    /// could be click-jacked into withdrawing), no &lt;base&gt; rewriting, forms post only to us.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string RegisterPage = "guardian/register.html";
    public const string SelfServicePage = "guardian/me.html";

    public static IEndpointRouteBuilder MapGuardianPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The id is not bound: the page is the same for every id and its script reads it from location.pathname.
        app.MapGet("/register/{ticketId}", (HttpContext context, IWebHostEnvironment environment) => Page(context, environment, RegisterPage))
            .WithName("RegistrationPage").AllowAnonymous().ExcludeFromDescription().RateLimitedAs(PublicEndpoint.Registration);
        app.MapGet("/me/{token}", (HttpContext context, IWebHostEnvironment environment) => Page(context, environment, SelfServicePage))
            .WithName("SelfServicePage").AllowAnonymous().ExcludeFromDescription().RateLimitedAs(PublicEndpoint.SelfService);
        return app;
    }

    /// <summary>Static files (the pages' CSS and scripts among them) are never content-sniffed into another type.</summary>
    public static StaticFileOptions StaticFiles() => new()
    {
        OnPrepareResponse = file => file.Context.Response.Headers.XContentTypeOptions = "nosniff",
    };

    /// <summary>A page of the web root with the headers every HTML page of ours carries (the console's too).</summary>
    internal static IResult Page(HttpContext context, IWebHostEnvironment environment, string path)
    {
        // A missing page is a broken deployment, not a bad link: let the exception handler answer 500.
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            throw new FileNotFoundException($"The page '{path}' is missing from the web root ({environment.WebRootPath}).", path);
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY"; // frame-ancestors for browsers that predate CSP 2
        return TypedResults.Stream(file.CreateReadStream(), "text/html; charset=utf-8");
    }
}
