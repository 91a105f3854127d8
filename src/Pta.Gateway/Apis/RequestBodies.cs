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
            // Name the field the way validation errors do ("audience.grades[0]", "$" for the whole document),
            // and say where, without the serializer's wording (which names internal types).
            var field = ex.Path is null or "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
            return (null, Problems.Malformed(field,
                $"Malformed JSON or a value of the wrong type (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
    }
}
