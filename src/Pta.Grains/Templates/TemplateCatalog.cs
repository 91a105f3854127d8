using Pta.Grains.Abstractions;

namespace Pta.Grains.Templates;

/// <summary>A template as a board or school sees it, and which level it comes from.</summary>
public sealed record EffectiveTemplate(MessageTemplate Template, TemplateSource Source);

/// <summary>
/// The effective templates of a board (built-in ← board) or a school (built-in ← board ← school): a template with the
/// id of an inherited one replaces it in place; new ones follow, the board's and then the school's, each in id order. Built-ins cannot be removed, only
/// overridden, so every school always has the purposes the seed systems require.
/// </summary>
public static class TemplateCatalog
{
    public static IReadOnlyList<EffectiveTemplate> Effective(IReadOnlyList<MessageTemplate> board, IReadOnlyList<MessageTemplate>? school = null)
    {
        ArgumentNullException.ThrowIfNull(board);
        var merged = new Dictionary<string, EffectiveTemplate>(StringComparer.Ordinal);
        var order = new List<string>();
        void Layer(IEnumerable<MessageTemplate> templates, TemplateSource source)
        {
            foreach (var template in templates)
            {
                if (!merged.ContainsKey(template.TemplateId))
                {
                    order.Add(template.TemplateId);
                }

                merged[template.TemplateId] = new EffectiveTemplate(template, source);
            }
        }

        Layer(BuiltInTemplates.All, TemplateSource.BuiltIn);
        Layer(board.OrderBy(t => t.TemplateId, StringComparer.Ordinal), TemplateSource.Board);
        Layer((school ?? []).OrderBy(t => t.TemplateId, StringComparer.Ordinal), TemplateSource.School);
        return [.. order.Select(id => merged[id])];
    }
}
