namespace Pta.Gateway.Apis;

/// <summary>RFC 9457 problem details for the answers the APIs give; one place so the wording stays consistent.</summary>
public static class Problems
{
    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with that id is visible to this credential.");

    public static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
            detail: $"The request body is larger than {RequestBodies.MaxBytes} bytes.");

    public static IResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: "Send the body as application/json.");

    public static IResult Malformed(string path, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [detail] }, title: "Malformed request body");

    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has invalid fields");

    public static IResult Unprocessable(string title, string detail, string? field = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static IResult Unavailable(HttpContext context, string detail, int retryAfterSeconds = 5)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable", detail: detail);
    }

    /// <summary>
    /// 429 from the public endpoints' rate limits. Guardians read it on a phone (a confirmation link opens it in the
    /// browser), so the detail says in Japanese, too, what to do.
    /// </summary>
    public static IResult TooManyRequests(HttpContext context, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4",
            detail: $"Too many requests from this network address or for this link. Retry after {seconds} seconds. " +
                    $"アクセスが集中しています。{seconds}秒ほど待ってから、もう一度開いてください。",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfterSeconds });
    }
}
