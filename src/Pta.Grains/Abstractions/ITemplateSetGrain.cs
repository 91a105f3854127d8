using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// The templates one board or one school added or overrode, keyed by <see cref="Templates.TemplateScope"/>
/// (<c>board:{id}</c> or <c>school:{id}</c>). Built-in templates are code, not state; the effective list of a school
/// is built-in ← board ← school (<see cref="Templates.TemplateCatalog"/>). Small state: at most
/// <see cref="MaxTemplates"/> templates per board or school.
/// </summary>
public interface ITemplateSetGrain : IGrainWithStringKey
{
    public const int MaxTemplates = 100;

    /// <summary>This board's or school's own templates, ordered by id.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<MessageTemplate>> ListAsync();

    /// <summary>Adds or replaces the template with that id; refused (<see cref="TemplateWriteOutcome.Full"/>) beyond the bound.</summary>
    Task<TemplateWriteOutcome> PutAsync(MessageTemplate template);

    /// <summary>Removes this board's or school's own template; false when it had none with that id.</summary>
    Task<bool> RemoveAsync(string templateId);
}
