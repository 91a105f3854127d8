using System.Collections.Concurrent;

namespace Pta.Grains.Confirmation;

/// <summary>The embedded default's confirmations: this process only, like the rest of its state.</summary>
public sealed class InMemoryConfirmationStore : IConfirmationStore
{
    private readonly ConcurrentDictionary<(string BroadcastId, string Household), ConfirmationRecord> _records = new();

    public Task<bool> RecordAsync(ConfirmationRecord confirmation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return Task.FromResult(_records.TryAdd((confirmation.BroadcastId, confirmation.Household), confirmation));
    }

    public Task<IReadOnlyList<ConfirmationRecord>> ReadAsync(string broadcastId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ConfirmationRecord>>(
            [.. _records.Values.Where(r => r.BroadcastId == broadcastId).OrderBy(r => r.At)]);
}
