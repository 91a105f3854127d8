using System.Text.Json;

namespace Pta.Gateway.Apis;

/// <summary>
/// Reads a JSON body with a hard size cap, so an oversized request is refused with 413 before it is parsed,
/// whatever server hosts the gateway (Kestrel's own limit does not apply under every host).
/// </summary>
public static class RequestBodies
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadJsonAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.TooLarge());
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, Problems.TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null ? (null, Problems.Malformed("$", "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Malformed(ex.Path ?? "$", "Malformed JSON: " + FirstSentence(ex.Message)));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
