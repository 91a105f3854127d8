namespace Pta.Grains.Abstractions;

/// <summary>
/// A broadcast template (定型文): a subject and a body with <c>{名前}</c> placeholders that the gateway fills in
/// before it validates and submits a broadcast (syntax in <see cref="Templates.TemplateText"/>). The category is the
/// one a broadcast from this template gets unless the request names another.
/// </summary>
/// <param name="TemplateId">An id as <see cref="Ids.IsValid"/> allows; the same id at a board or school overrides the inherited one.</param>
/// <param name="Name">What staff see in a list, e.g. 臨時休校.</param>
/// <param name="Category">The category of a broadcast made from it, unless the request names one.</param>
/// <param name="Subject">The subject with placeholders; rendered, it must pass the subject rules (one line).</param>
/// <param name="Body">The plain-text body with placeholders.</param>
[GenerateSerializer, Immutable, Alias("pta.message-template")]
public sealed record MessageTemplate(
    [property: Id(0)] string TemplateId,
    [property: Id(1)] string Name,
    [property: Id(2)] BroadcastCategory Category,
    [property: Id(3)] string Subject,
    [property: Id(4)] string Body);
