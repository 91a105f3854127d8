using Pta.Grains.Abstractions;
using Pta.Grains.Templates;

namespace Pta.Gateway.Apis;

/// <summary>
/// Checks a template before it is stored: the same text rules as a broadcast's subject and body (a subject is one
/// line), and a placeholder syntax that parses, so a broken template is refused when it is written, not when a
/// school needs it in an emergency.
/// </summary>
public static class TemplateValidator
{
    public const int MaxNameLength = 50;

    public static Dictionary<string, string[]> Validate(string templateId, TemplateRequest request, out MessageTemplate? template)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        template = null;
        if (!Ids.IsValid(templateId))
        {
            errors["templateId"] = ["Lower-case letters, digits and hyphens, starting with a letter, at most 64."];
        }

        TextRules.Check(errors, "name", request.Name, MaxNameLength, allowLineBreaks: false);
        var category = default(BroadcastCategory);
        if (string.IsNullOrEmpty(request.Category) || !BroadcastRequestValidator.TryParseCategory(request.Category, out category))
        {
            errors["category"] = ["Required: one of emergency, safety, info, test."];
        }

        CheckText(errors, "subject", request.Subject, BroadcastRequestValidator.MaxSubjectLength, allowLineBreaks: false);
        CheckText(errors, "body", request.Body, BroadcastRequestValidator.MaxBodyLength, allowLineBreaks: true);
        if (errors.Count == 0)
        {
            template = new MessageTemplate(templateId, request.Name!.Trim(), category, request.Subject!, request.Body!);
        }

        return errors;
    }

    private static void CheckText(Dictionary<string, string[]> errors, string field, string? text, int maxLength, bool allowLineBreaks)
    {
        TextRules.Check(errors, field, text, maxLength, allowLineBreaks);
        if (!errors.ContainsKey(field) && TemplateText.Problem(text!) is { } problem)
        {
            errors[field] = [problem];
        }
    }
}
