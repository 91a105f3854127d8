using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Pta.Grains.Registration;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// The two pages the mails link to (registration form, self-service), checked as served: reached through a real
/// blank-mail reply and completion mail, sent with headers that keep the secret in the URL from leaking, built only
/// from the gateway's own assets, labelled, and with scripts that never write HTML. No browser: the markup is read.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class GuardianPagesTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] Pages = ["/register/rt-00000000000000000000000000000000", "/me/not.a-token"];

    [Fact]
    public async Task The_links_in_the_mails_open_the_pages_with_headers_that_keep_the_secret_in_the_url()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        var sender = $"pages.{tenant.School.SchoolId[2..]}@au.com";
        using var anonymous = fixture.Anonymous();

        var registrationUrl = $"http://pta.test/register/{await GuardianMail.SendBlankMailAsync(fixture, tenant, sender)}";
        using var registerPage = await anonymous.GetAsync(PathOf(registrationUrl));
        var ticket = registrationUrl[(registrationUrl.LastIndexOf('/') + 1)..];
        (await anonymous.PostAsJsonAsync($"/api/v1/registrations/{ticket}", new
        {
            authCode = GatewayFixture.AuthCode, childName = "山田太郎", grade = 4, @class = "1", guardianName = "山田花子", addresses = Array.Empty<string>(), consent = true,
        })).EnsureSuccessStatusCode();
        var completion = await fixture.Sink.WaitForAsync(m => SmtpSink.To(sender)(m) && (m.Message.Subject ?? "").Contains("登録完了", StringComparison.Ordinal), 1, GuardianMail.Patience);
        var manageUrl = ManageLink().Match(completion[0].Message.TextBody ?? "").Value;
        Assert.False(string.IsNullOrEmpty(manageUrl), "the completion mail carries a self-service link");
        using var mePage = await anonymous.GetAsync(PathOf(manageUrl));

        AssertPageHeaders(registerPage);
        AssertPageHeaders(mePage);
        Assert.Contains("<label for=\"authCode\">", await registerPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<label for=\"receive\">", await mePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_input_has_a_label_and_the_pages_are_japanese()
    {
        using var anonymous = fixture.Anonymous();
        foreach (var page in Pages)
        {
            using var response = await anonymous.GetAsync(page);
            AssertPageHeaders(response);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"ja\">", html, StringComparison.Ordinal);
            Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
            var labelled = LabelFor().Matches(html).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            foreach (var id in ControlId().Matches(html).Select(m => m.Groups[1].Value))
            {
                Assert.True(labelled.Contains(id), $"{page}: the control '{id}' has no <label for=\"{id}\">");
            }
        }

        var register = await anonymous.GetStringAsync(Pages[0]);
        foreach (var id in new[] { "authCode", "grade", "class", "childName", "guardianName", "address0", "address1", "address2", "consent" })
        {
            Assert.Contains($"<label for=\"{id}\">", register, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_assets_the_pages_use_are_served_by_the_gateway_with_their_types()
    {
        using var anonymous = fixture.Anonymous();
        var assets = await AssetsAsync(anonymous);

        Assert.Equal(["/guardian/api.js", "/guardian/guardian.css", "/guardian/i18n.js", "/guardian/me.js", "/guardian/register.js"], assets.Select(a => a.Path).Order(StringComparer.Ordinal));
        foreach (var asset in assets)
        {
            Assert.Equal(HttpStatusCode.OK, asset.Status);
            Assert.Equal(asset.Path.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/javascript", asset.MediaType);
            Assert.Equal("nosniff", asset.NoSniff);
        }
    }

    [Fact]
    public async Task Nothing_is_loaded_from_outside_the_gateway_and_scripts_never_write_html()
    {
        using var anonymous = fixture.Anonymous();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var page in Pages)
        {
            texts[page] = await anonymous.GetStringAsync(page);
        }

        foreach (var asset in await AssetsAsync(anonymous))
        {
            texts[asset.Path] = asset.Text;
        }

        foreach (var (path, text) in texts)
        {
            Assert.False(AbsoluteUrl().IsMatch(text), $"{path} refers to {AbsoluteUrl().Match(text).Value}");
            if (path.EndsWith(".css", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
                Assert.DoesNotContain("url(", text, StringComparison.Ordinal);
            }

            foreach (var reference in Reference().Matches(text).Select(m => m.Groups[1].Value))
            {
                Assert.True(reference.StartsWith('#') || (reference.StartsWith('/') && !reference.StartsWith("//", StringComparison.Ordinal)),
                    $"{path} refers to '{reference}', which is not a path on the gateway");
            }
        }

        foreach (var (path, script) in texts.Where(t => t.Key.EndsWith(".js", StringComparison.Ordinal)))
        {
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function" })
            {
                Assert.DoesNotContain(sink, script, StringComparison.Ordinal);
            }

            if (script.Contains("document.", StringComparison.Ordinal))
            {
                Assert.Contains("textContent", script, StringComparison.Ordinal); // a script that renders, renders text
            }
        }

        // Inline script or style would need 'unsafe-inline' under the policy: the pages have none.
        foreach (var page in Pages)
        {
            Assert.DoesNotMatch(InlineScript(), texts[page]);
            Assert.DoesNotContain("<style", texts[page], StringComparison.Ordinal);
            Assert.DoesNotContain(" style=", texts[page], StringComparison.Ordinal);
            Assert.DoesNotMatch(EventHandlerAttribute(), texts[page]);
        }
    }

    [Fact]
    public async Task The_pages_stay_out_of_the_openapi_document()
    {
        using var anonymous = fixture.Anonymous();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/v1/me/{token}", paths);
        Assert.DoesNotContain("/me/{token}", paths);
        Assert.DoesNotContain("/register/{ticketId}", paths);
    }

    private static void AssertPageHeaders(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-", csp, StringComparison.Ordinal);
    }

    /// <summary>Every stylesheet and script the two pages link, as served.</summary>
    private static async Task<List<ServedAsset>> AssetsAsync(HttpClient client)
    {
        var assets = new List<ServedAsset>();
        foreach (var page in Pages)
        {
            var html = await client.GetStringAsync(page);
            foreach (var path in Asset().Matches(html).Select(m => m.Groups[1].Value).Where(p => assets.All(a => a.Path != p)).Distinct().ToList())
            {
                using var response = await client.GetAsync(path);
                assets.Add(new ServedAsset(path, response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? string.Join(",", values) : null,
                    await response.Content.ReadAsStringAsync()));
            }
        }

        return assets;
    }

    private sealed record ServedAsset(string Path, HttpStatusCode Status, string? MediaType, string? NoSniff, string Text);

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    [GeneratedRegex(@"http://pta\.test/me/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")]
    private static partial Regex ManageLink();

    [GeneratedRegex(@"<label for=""([^""]+)""")]
    private static partial Regex LabelFor();

    [GeneratedRegex(@"<(?:input|select|textarea)\b[^>]*\bid=""([^""]+)""")]
    private static partial Regex ControlId();

    [GeneratedRegex(@"(?:href|src)=""(/guardian/[^""]+)""")]
    private static partial Regex Asset();

    [GeneratedRegex(@"(?:href|src|action)=""([^""]*)""")]
    private static partial Regex Reference();

    [GeneratedRegex(@"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+=""", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();
}
