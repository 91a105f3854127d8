using Pta.Grains.Abstractions;
using Pta.Grains.Templates;

namespace Pta.Gateway.Apis;

/// <summary>A template as a board or school sees it.</summary>
/// <param name="TemplateId">What a broadcast names in <c>template</c>.</param>
/// <param name="Name">The name staff see, e.g. 臨時休校.</param>
/// <param name="Category">The category of broadcasts made from it, unless the request names one.</param>
/// <param name="Subject">The subject with placeholders.</param>
/// <param name="Body">The body with placeholders.</param>
/// <param name="Source">Where it comes from: builtIn, board or school (the nearest wins).</param>
/// <param name="Placeholders">The names a broadcast gives in <c>values</c>, except those the gateway fills in itself
/// (発信者, 学校名, 教育委員会名).</param>
public sealed record TemplateView(
    string TemplateId,
    string Name,
    BroadcastCategory Category,
    string Subject,
    string Body,
    TemplateSource Source,
    IReadOnlyList<string> Placeholders)
{
    public static TemplateView Of(EffectiveTemplate effective)
    {
        ArgumentNullException.ThrowIfNull(effective);
        var t = effective.Template;
        var names = TemplateText.Placeholders(t.Subject).Concat(TemplateText.Placeholders(t.Body)).Distinct(StringComparer.Ordinal);
        return new TemplateView(t.TemplateId, t.Name, t.Category, t.Subject, t.Body, effective.Source,
            [.. names.Where(n => !TemplateRendering.AutomaticNames.Contains(n))]);
    }
}
