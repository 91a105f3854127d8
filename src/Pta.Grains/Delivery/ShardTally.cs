using System.Collections.Concurrent;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// A shard's latest result per recipient, written by its concurrent senders, and the counts the broadcast shows:
/// in all and per carrier. A recipient not yet tried counts only among the recipients.
/// </summary>
internal sealed class ShardTally(IReadOnlyList<Recipient> recipients)
{
    private readonly ConcurrentDictionary<string, (SendResult Result, int Attempts)> _results = new(StringComparer.Ordinal);
    private readonly (string Key, Carrier Carrier)[] _carriers =
        [.. recipients.Select(r => (r.Key, GuardianAddress.Classify(r.Address)))];

    public void Record(string key, SendResult result, int attempt) => _results[key] = (result, attempt);

    public (SendResult Result, int Attempts) Result(string key) => _results[key];

    /// <summary>Whether the recipient was tried at all (a cancelled shard leaves the rest untried).</summary>
    public bool Tried(string key) => _results.ContainsKey(key);

    public BroadcastCounts Counts() => CountsOf(_carriers);

    public Dictionary<Carrier, BroadcastCounts> ByCarrier() =>
        _carriers.GroupBy(c => c.Carrier).ToDictionary(g => g.Key, g => CountsOf(g));

    private BroadcastCounts CountsOf(IEnumerable<(string Key, Carrier Carrier)> slice)
    {
        int recipients = 0, sent = 0, deferred = 0, failed = 0;
        foreach (var (key, _) in slice)
        {
            recipients++;
            if (!_results.TryGetValue(key, out var r))
            {
                continue;
            }

            switch (r.Result.Status)
            {
                case DeliveryStatus.Sent: sent++; break;
                case DeliveryStatus.Deferred: deferred++; break;
                default: failed++; break;
            }
        }

        return new BroadcastCounts(recipients, sent, deferred, failed);
    }
}
