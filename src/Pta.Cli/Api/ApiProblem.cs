using System.Net;
using System.Text.Json;

namespace Pta.Cli.Api;

/// <summary>
/// An RFC 9457 problem as the gateway answers it: title and detail, and the field at fault, either as the
/// <c>field</c> extension (422s) or as the keys of <c>errors</c> (validation problems, one or more messages each).
/// An answer that is not problem+json (a proxy's HTML page, an empty 401) becomes a problem with the status' name,
/// so every failure prints the same way.
/// </summary>
internal sealed record ApiProblem(int Status, string Title, string? Detail, string? Field, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Parse(HttpStatusCode status, string? mediaType, string body)
    {
        var problem = ParseBody(status, mediaType, body);
        // The gateway's 401 names no cause (it never tells which part of a credential was wrong); say where it came from.
        return status == HttpStatusCode.Unauthorized && string.IsNullOrWhiteSpace(problem.Detail)
            ? problem with { Detail = UnauthorizedHint }
            : problem;
    }

    private const string UnauthorizedHint = "The gateway refused the credential: check --token or PTA_TOKEN (unknown, revoked or mistyped).";

    private static ApiProblem ParseBody(HttpStatusCode status, string? mediaType, string body)
    {
        var fallbackTitle = $"{(int)status} {status}";
        if (mediaType is not ("application/problem+json" or "application/json") || string.IsNullOrWhiteSpace(body))
        {
            return new ApiProblem((int)status, fallbackTitle, Snippet(body), null, new Dictionary<string, string[]>());
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return new ApiProblem(
                (int)status,
                Text(root, "title") ?? fallbackTitle,
                Text(root, "detail"),
                Text(root, "field"),
                ErrorsOf(root));
        }
        catch (JsonException)
        {
            return new ApiProblem((int)status, fallbackTitle, Snippet(body), null, new Dictionary<string, string[]>());
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static Dictionary<string, string[]> ErrorsOf(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        foreach (var field in map.EnumerateObject())
        {
            errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                : [field.Value.ToString()];
        }

        return errors;
    }

    /// <summary>The start of a body that is not a problem document: enough to recognise it, never a whole page.</summary>
    private static string? Snippet(string body)
    {
        var trimmed = body.Trim();
        return trimmed.Length == 0 ? null : trimmed.Length <= 200 ? trimmed : trimmed[..200] + "…";
    }
}
