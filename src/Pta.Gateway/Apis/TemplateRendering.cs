using Pta.Grains.Abstractions;
using Pta.Grains.Templates;

namespace Pta.Gateway.Apis;

/// <summary>
/// Fills a broadcast request from a named template before it is validated, so what is validated, fingerprinted and
/// submitted is the rendered text and the broadcast grain never sees a template. A subject or body given in the
/// request wins over the template's (the template prefills what is left out), and so does a category.
/// The gateway fills in only names that cannot change between a request and its retry (発信者, 学校名, 教育委員会名),
/// never the clock: a retry with the same Idempotency-Key renders the same text and is recognised as the same request.
/// </summary>
public static class TemplateRendering
{
    public const int MaxValues = 50;
    public const int MaxValueLength = 2_000;

    /// <summary>The school's name (or the PTA's, for a PTA broadcast; the board's, for a board broadcast).</summary>
    public const string SenderName = "発信者";

    /// <summary>The school's name; not filled in for a board broadcast, whose one text goes to every school.</summary>
    public const string SchoolName = "学校名";

    public const string BoardName = "教育委員会名";

    public static IReadOnlySet<string> AutomaticNames { get; } = new HashSet<string>(StringComparer.Ordinal) { SenderName, SchoolName, BoardName };

    /// <summary>A school's (or its PTA's) request with the template applied, or the errors naming <c>template</c> or <c>values.{name}</c>.</summary>
    public static async Task<(BroadcastRequest Request, Dictionary<string, string[]>? Errors)> ApplyAsync(
        IGrainFactory grains, BroadcastRequest request, SchoolProfile school, string? ptaId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(school);
        var automatic = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.Template is not null)
        {
            var board = await grains.GetGrain<IBoardGrain>(school.BoardId).GetProfileAsync();
            var pta = ptaId is null ? null : await grains.GetGrain<IPtaGrain>(ptaId).GetProfileAsync();
            automatic[SenderName] = pta?.Name ?? school.Name;
            automatic[SchoolName] = school.Name;
            if (board is not null)
            {
                automatic[BoardName] = board.Name;
            }
        }

        var filled = await FillAsync(grains, new Given(request.Template, request.Values, request.Subject, request.Body, request.Category),
            school.BoardId, school.SchoolId, automatic);
        return (request with { Subject = filled.Subject, Body = filled.Body, Category = filled.Category }, filled.Errors);
    }

    /// <summary>A board's request with the template applied (built-in ← board templates), or the errors.</summary>
    public static async Task<(BoardBroadcastRequest Request, Dictionary<string, string[]>? Errors)> ApplyAsync(
        IGrainFactory grains, BoardBroadcastRequest request, BoardProfile board)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(board);
        var automatic = new Dictionary<string, string>(StringComparer.Ordinal) { [SenderName] = board.Name, [BoardName] = board.Name };
        var filled = await FillAsync(grains, new Given(request.Template, request.Values, request.Subject, request.Body, request.Category),
            board.BoardId, schoolId: null, automatic);
        return (request with { Subject = filled.Subject, Body = filled.Body, Category = filled.Category }, filled.Errors);
    }

    private sealed record Given(string? Template, IReadOnlyDictionary<string, string?>? Values, string? Subject, string? Body, string? Category);

    private sealed record Filled(string? Subject, string? Body, string? Category, Dictionary<string, string[]>? Errors);

    private static async Task<Filled> FillAsync(
        IGrainFactory grains, Given given, string boardId, string? schoolId, IReadOnlyDictionary<string, string> automatic)
    {
        var errors = new Dictionary<string, string[]>();
        var values = given.Values ?? new Dictionary<string, string?>();
        if (given.Template is null)
        {
            if (values.Count > 0)
            {
                errors["values"] = ["Values fill a template's placeholders: name the template in 'template'."];
            }

            return new Filled(given.Subject, given.Body, given.Category, errors.Count == 0 ? null : errors);
        }

        var template = Ids.IsValid(given.Template)
            ? (await TemplateApi.EffectiveAsync(grains, boardId, schoolId)).FirstOrDefault(t => t.Template.TemplateId == given.Template)?.Template
            : null;
        if (template is null)
        {
            errors["template"] = [$"No template with that id for this {(schoolId is null ? "board" : "school")}; the list is at GET …/templates."];
            return new Filled(given.Subject, given.Body, given.Category, errors);
        }

        CheckValues(errors, values, given.Subject is null ? TemplateText.Placeholders(template.Subject) : []);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        string? ValueOf(string name) => values.TryGetValue(name, out var value) && value is not null ? value : automatic.GetValueOrDefault(name);
        var subject = given.Subject ?? TemplateText.Render(template.Subject, ValueOf, missing);
        var body = given.Body ?? TemplateText.Render(template.Body, ValueOf, missing);
        foreach (var name in missing.Where(n => !errors.ContainsKey($"values.{n}")))
        {
            errors[$"values.{name}"] = [$"The template uses {{{name}}}: give it a value."];
        }

        var category = given.Category ?? template.Category.ToString().ToLowerInvariant();
        return new Filled(subject, body, category, errors.Count == 0 ? null : errors);
    }

    /// <summary>Each value: a placeholder's name, text by the body's rules, and one line when the rendered subject uses it.</summary>
    private static void CheckValues(Dictionary<string, string[]> errors, IReadOnlyDictionary<string, string?> values, IReadOnlyList<string> subjectNames)
    {
        if (values.Count > MaxValues)
        {
            errors["values"] = [$"At most {MaxValues} values."];
            return;
        }

        foreach (var (name, value) in values)
        {
            var field = $"values.{name}";
            if (!TemplateText.IsValidName(name))
            {
                errors[field] = [$"Not a placeholder name: 1–{TemplateText.MaxNameLength} characters without braces, spaces or control characters."];
                continue;
            }

            TextRules.Check(errors, field, value, MaxValueLength, allowLineBreaks: true);
            if (!errors.ContainsKey(field) && subjectNames.Contains(name) && value!.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                errors[field] = ["Used in the subject, which is one line: no line breaks."];
            }
        }
    }
}
