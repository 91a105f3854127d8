namespace Pta.Grains.Abstractions;

/// <summary>What a template write did.</summary>
public enum TemplateWriteOutcome
{
    Created = 0,
    Replaced = 1,

    /// <summary>Nothing written: the board or school already has <see cref="ITemplateSetGrain.MaxTemplates"/> templates of its own.</summary>
    Full = 2,
}
