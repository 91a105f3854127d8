using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Pta.Grains.Attachments;

namespace Pta.Gateway.Apis;

/// <summary>
/// Reads an uploaded file (the raw request body) within a size cap and decides its type from its first bytes. The
/// declared Content-Type may narrow but never widen what is accepted: content that is not an allowed type is 415
/// whatever it is labelled, and a label that names another allowed type than the content is 415 too.
/// </summary>
internal static class AttachmentUpload
{
    /// <summary>Generous for a scanned notice or a photo; the mail carries only a link, so this bounds storage, not mail size.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    public const int MaxFileNameLength = 100;

    /// <summary>A file that passed every check.</summary>
    public sealed record Upload(byte[] Content, string ContentType, string FileName);

    public static async Task<(Upload? Upload, IResult? Error)> ReadAsync(HttpContext context, string? name)
    {
        var errors = new Dictionary<string, string[]>();
        if (name is not null)
        {
            TextRules.Check(errors, "name", name, MaxFileNameLength, allowLineBreaks: false);
            if (!errors.ContainsKey("name") && name.IndexOfAny(['/', '\\']) >= 0)
            {
                errors["name"] = ["A file name, not a path: no / or \\."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Invalid(errors));
        }

        if (context.Request.ContentLength > MaxBytes || await ReadCappedAsync(context) is not { } content)
        {
            return (null, TooLarge());
        }

        if (content.Length == 0)
        {
            return (null, Problems.Invalid(new() { ["file"] = ["The upload is empty: send the file's bytes as the request body."] }));
        }

        if (AttachmentTypes.Sniff(content) is not { } type)
        {
            return (null, Unsupported("The content is not a JPEG, PNG, GIF or WebP image or a PDF file, whatever its declared type. Only those are attached."));
        }

        if (Declared(context.Request.ContentType) is { } declared && declared != type)
        {
            return (null, Unsupported($"The content is {type}, not the declared {declared}."));
        }

        return (new Upload(content, type, string.IsNullOrWhiteSpace(name) ? "添付ファイル" + AttachmentTypes.Extension(type) : name.Trim()), null);
    }

    /// <summary>The declared media type when it claims something specific; null for none or application/octet-stream.</summary>
    private static string? Declared(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } media)
        {
            return null;
        }

        var type = media.ToLowerInvariant();
        return type switch
        {
            "application/octet-stream" => null,
            "image/jpg" or "image/pjpeg" => AttachmentTypes.Jpeg,
            _ => type,
        };
    }

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/> (also when the server's own limit stops it).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes + 1;
        }

        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
            detail: string.Create(CultureInfo.InvariantCulture, $"An attachment is at most {MaxBytes / (1024 * 1024)} MB ({MaxBytes} bytes)."));

    private static IResult Unsupported(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported file type", detail: detail);
}
