using Pta.Grains.Abstractions;

namespace Pta.Grains.Templates;

/// <inheritdoc cref="ITemplateSetGrain"/>
public sealed class TemplateSetGrain(
    [PersistentState("templates", StorageNames.State)] IPersistentState<TemplateSetState> state) : Grain, ITemplateSetGrain
{
    public Task<IReadOnlyList<MessageTemplate>> ListAsync() =>
        Task.FromResult<IReadOnlyList<MessageTemplate>>([.. state.State.Templates.Values.OrderBy(t => t.TemplateId, StringComparer.Ordinal)]);

    public async Task<TemplateWriteOutcome> PutAsync(MessageTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var templates = state.State.Templates;
        var exists = templates.TryGetValue(template.TemplateId, out var current);
        if (!exists && templates.Count >= ITemplateSetGrain.MaxTemplates)
        {
            return TemplateWriteOutcome.Full;
        }

        if (current != template)
        {
            templates[template.TemplateId] = template;
            await state.WriteStateAsync();
        }

        return exists ? TemplateWriteOutcome.Replaced : TemplateWriteOutcome.Created;
    }

    public async Task<bool> RemoveAsync(string templateId)
    {
        if (!state.State.Templates.Remove(templateId))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }
}
