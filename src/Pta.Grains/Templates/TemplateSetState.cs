using Pta.Grains.Abstractions;

namespace Pta.Grains.Templates;

/// <summary>Persisted state of a template set: the board's or school's own templates by id.</summary>
[GenerateSerializer, Alias("pta.template-set-state")]
public sealed class TemplateSetState
{
    [Id(0)] public Dictionary<string, MessageTemplate> Templates { get; set; } = [];
}
