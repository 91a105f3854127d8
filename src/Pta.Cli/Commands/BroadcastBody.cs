using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pta.Cli.Api;

namespace Pta.Cli.Commands;

/// <summary>
/// Builds the JSON body of a school or board broadcast from an optional file and the options. The CLI only assembles
/// it: every rule (lengths, categories, audiences, templates) is the gateway's, whose problem names the field at fault.
/// </summary>
internal static class BroadcastBody
{
    public static JsonObject Build(SendValues values, bool board)
    {
        ArgumentNullException.ThrowIfNull(values);
        var body = values.File is null ? [] : ReadFile(values.File);
        if (values.Body is not null && values.BodyFile is not null)
        {
            throw CliFailure.Usage("--body and --body-file: give one of them.");
        }

        var text = values.BodyFile is null ? values.Body : ReadText(values.BodyFile);
        Set(body, "subject", values.Subject);
        Set(body, "body", text);
        Set(body, "category", values.Emergency ? "emergency" : CategoryOf(values.Category));
        Set(body, "template", values.Template);
        if (values.Values.Count > 0)
        {
            var placeholders = body["values"] as JsonObject ?? [];
            foreach (var pair in values.Values)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw CliFailure.Usage($"--value '{pair}': write it as name=value.");
                }

                placeholders[pair[..equals]] = pair[(equals + 1)..];
            }

            body["values"] = placeholders;
        }

        if (values.RequireConfirmation)
        {
            body["requireConfirmation"] = true;
        }

        if (values.SendAt is { } sendAt)
        {
            body["sendAt"] = sendAt.ToString("O", CultureInfo.InvariantCulture);
        }

        SetAudience(body, values, board);
        return body;
    }

    /// <summary>A school's audience is an object (<c>audience.grades</c>); a board's grades and schools are top-level fields.</summary>
    private static void SetAudience(JsonObject body, SendValues values, bool board)
    {
        if (values.Schools.Count > 0)
        {
            if (!board)
            {
                throw CliFailure.Usage("--schools is for a board broadcast (--board); a school broadcast goes to its own school.");
            }

            body["schoolIds"] = new JsonArray([.. values.Schools.Select(s => (JsonNode)s)]);
        }

        if (values.Grades.Count == 0)
        {
            return;
        }

        var grades = new JsonArray([.. values.Grades.Select(g => (JsonNode)g)]);
        if (board)
        {
            body["grades"] = grades;
        }
        else
        {
            var audience = body["audience"] as JsonObject ?? [];
            audience["grades"] = grades;
            body["audience"] = audience;
        }
    }

    /// <summary>"routine" is what operators call the gateway's <c>info</c>; every other word goes to the gateway as given.</summary>
    private static string? CategoryOf(string? category) =>
        string.Equals(category, "routine", StringComparison.OrdinalIgnoreCase) ? "info" : category;

    private static void Set(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static JsonObject ReadFile(FileInfo file)
    {
        try
        {
            return JsonNode.Parse(ReadText(file)) as JsonObject
                   ?? throw CliFailure.Usage($"--file {file.Name}: the file must hold one JSON object (the request body).");
        }
        catch (JsonException ex)
        {
            throw CliFailure.Usage($"--file {file.Name}: not valid JSON ({ex.Message}).");
        }
    }

    private static string ReadText(FileInfo file)
    {
        try
        {
            return System.IO.File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliFailure.Usage($"{file.FullName}: cannot be read ({ex.Message}).");
        }
    }
}

/// <summary>The option values of one <c>pta send</c>, read once from the parse result.</summary>
internal sealed record SendValues(
    FileInfo? File,
    string? Subject,
    string? Body,
    FileInfo? BodyFile,
    string? Category,
    bool Emergency,
    string? Template,
    IReadOnlyList<string> Values,
    bool RequireConfirmation,
    DateTimeOffset? SendAt,
    IReadOnlyList<string> Schools,
    IReadOnlyList<int> Grades);
