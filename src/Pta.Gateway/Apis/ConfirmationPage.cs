using System.Security.Cryptography;
using System.Text;

namespace Pta.Gateway.Apis;

/// <summary>
/// The pages a guardian sees after tapping a confirmation link: small, self-contained HTML (no script, no external
/// asset: a phone on a congested network loads one response), rendered once at start-up. None of them says anything
/// about the broadcast, school or address behind a link, so a wrong or forwarded link reveals nothing.
/// </summary>
internal sealed class ConfirmationPage
{
    /// <summary>The one inline style block, allowed by its hash (CSP 2), so the policy needs no 'unsafe-inline'.</summary>
    private const string Style =
        "body{margin:0;background:#f4f6f4;color:#1b1b1b;font-family:system-ui,-apple-system,\"Hiragino Sans\",\"Noto Sans JP\",sans-serif;line-height:1.7}" +
        "main{max-width:32rem;margin:0 auto;padding:2.5rem 1.25rem}" +
        "h1{font-size:1.5rem;line-height:1.4;margin:0 0 1rem}" +
        "p{font-size:1.0625rem;margin:0 0 1rem}" +
        ".ok h1{color:#0f6b2f}.ng h1{color:#9a3412}.en{color:#4a4a4a;font-size:.9375rem;border-top:1px solid #d5d8dd;padding-top:1rem}";

    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] _html;

    // english: the same in one English line. The page has no script, so no language switch: a guardian who reads
    // no Japanese finds it under the Japanese.
    private ConfirmationPage(int statusCode, string title, string kind, string english, params string[] paragraphs)
    {
        StatusCode = statusCode;
        var body = string.Concat(paragraphs.Select(p => $"<p>{p}</p>")) + $"<p class=\"en\" lang=\"en\">{english}</p>";
        _html = Encoding.UTF8.GetBytes(
            "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">" +
            $"<title>{title}</title><style>{Style}</style></head><body class=\"{kind}\"><main><h1>{title}</h1>{body}</main></body></html>\n");
    }

    /// <summary>The click was recorded, now or by an earlier click of the household (the page does not tell them apart).</summary>
    public static ConfirmationPage Confirmed { get; } = new(StatusCodes.Status200OK, "確認しました", "ok",
        "Confirmed: the school now knows you received its message. Thank you. One confirmation per family is enough.",
        "お知らせを受け取ったことが学校に伝わりました。ありがとうございました。",
        "ご家庭のどなたかお一人が確認すれば十分です。このページは閉じてかまいません。");

    /// <summary>Malformed, cut short or tampered with.</summary>
    public static ConfirmationPage NotFound { get; } = new(StatusCodes.Status404NotFound, "このリンクは使えません", "ng",
        "This link does not work: it is incomplete or wrong. Open the link in the mail again, or contact the school.",
        "リンクが正しくないか、途中で切れています。届いたメールのリンクを、もう一度そのまま開いてください。",
        "それでも開けない場合は、学校へ直接ご連絡ください。");

    /// <summary>Signed by us, but past its expiry.</summary>
    public static ConfirmationPage Expired { get; } = new(StatusCodes.Status410Gone, "受付期間が終わりました", "ng",
        "This confirmation link has expired. Please contact the school directly.",
        "このリンクの有効期限が切れたため、受信確認は受け付けていません。",
        "ご不明な点は、学校へ直接ご連絡ください。");

    /// <summary>The click could not be stored; the guardian is asked to try again, which is safe (first click kept).</summary>
    public static ConfirmationPage Unavailable { get; } = new(StatusCodes.Status503ServiceUnavailable, "ただいま混み合っています", "ng",
        "Busy: your confirmation could not be recorded. Please open the link again in a moment.",
        "確認を記録できませんでした。少し時間をおいて、もう一度リンクを開いてください。");

    public int StatusCode { get; }

    /// <summary>
    /// Writes the page (headers only for HEAD). The link is a secret in the path: no-store and no-referrer keep it out
    /// of caches and of other sites' logs.
    /// </summary>
    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = _html.Length;
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            headers.RetryAfter = "30";
        }

        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(_html, context.RequestAborted).AsTask();
    }
}
