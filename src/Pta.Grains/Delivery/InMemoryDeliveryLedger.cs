using System.Collections.Concurrent;
using Pta.Grains.Persistence;

namespace Pta.Grains.Delivery;

/// <summary>
/// The embedded default's ledger: this process only, gone on restart, like the rest of the embedded state. Replies are
/// masked as the production ledger masks them, so staff see the same phone-call list in both profiles.
/// </summary>
public sealed class InMemoryDeliveryLedger : IDeliveryLedger
{
    private readonly ConcurrentDictionary<(string Broadcast, string Recipient), DeliveryOutcome> _latest = new();

    public Task RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            _latest[(outcome.BroadcastId, outcome.RecipientKey)] = outcome with { Reply = AddressRedaction.Redact(outcome.Reply) };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> SentKeysAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken)
    {
        IReadOnlySet<string> keys = _latest.Values
            .Where(o => o.BroadcastId == broadcastId && o.ShardIndex == shardIndex && o.Status == DeliveryStatus.Sent)
            .Select(o => o.RecipientKey)
            .ToHashSet();
        return Task.FromResult(keys);
    }

    public Task<IReadOnlyList<DeliveryOutcome>> ReadAsync(string broadcastId, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryOutcome> rows = [.. _latest.Values.Where(o => o.BroadcastId == broadcastId)];
        return Task.FromResult(rows);
    }
}
