namespace Pta.Benchmarks.Fanout;

/// <summary>
/// Per-recipient delivery figures of some broadcasts, from what the relay recorded: each recipient's first
/// acceptance measured from its broadcast's 202, plus the recipients never accepted (lost) and the extra records
/// of recipients accepted more than once (duplicates).
/// </summary>
public sealed class DeliveryTimes
{
    private readonly double[] _sortedMs;

    private DeliveryTimes(double[] sortedMs, int expected, int duplicates, double lastSeconds)
    {
        _sortedMs = sortedMs;
        Delivered = sortedMs.Length;
        Lost = Math.Max(0, expected - sortedMs.Length);
        Duplicates = duplicates;
        LastSeconds = lastSeconds;
    }

    public int Delivered { get; }

    public int Lost { get; }

    public int Duplicates { get; }

    /// <summary>From the first 202 to the last recipient's acceptance.</summary>
    public double LastSeconds { get; }

    public double FirstMs => _sortedMs.Length == 0 ? double.NaN : _sortedMs[0];

    /// <param name="acceptances">Message-ID → (first acceptance, UTC; records with that id).</param>
    /// <param name="broadcasts">The broadcasts to count; Message-IDs of others are ignored.</param>
    public static DeliveryTimes Of(IEnumerable<(string MessageId, DateTime FirstUtc, int Records)> acceptances, IReadOnlyList<SubmittedBroadcast> broadcasts)
    {
        ArgumentNullException.ThrowIfNull(acceptances);
        ArgumentNullException.ThrowIfNull(broadcasts);
        var acceptedAt = broadcasts.ToDictionary(b => b.Id, b => b.AcceptedAt.UtcDateTime);
        var firstAccepted = broadcasts.Min(b => b.AcceptedAt.UtcDateTime);
        var latencies = new List<double>();
        var duplicates = 0;
        var last = DateTime.MinValue;
        foreach (var (messageId, first, records) in acceptances)
        {
            // <bc-….recipient@domain>: the broadcast id is everything before the first dot.
            var dot = messageId.IndexOf('.', StringComparison.Ordinal);
            if (!messageId.StartsWith('<') || dot < 0 || !acceptedAt.TryGetValue(messageId[1..dot], out var submitted))
            {
                continue;
            }

            latencies.Add((first - submitted).TotalMilliseconds);
            duplicates += records - 1;
            last = first > last ? first : last;
        }

        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        var expected = broadcasts.Sum(b => b.Recipients);
        return new DeliveryTimes(sorted, expected, duplicates, sorted.Length == 0 ? double.NaN : (last - firstAccepted).TotalSeconds);
    }

    /// <summary>The nearest-rank percentile of the delivered recipients' latencies, in ms.</summary>
    public double PercentileMs(double percent)
    {
        if (_sortedMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sortedMs.Length);
        return _sortedMs[Math.Clamp(rank - 1, 0, _sortedMs.Length - 1)];
    }
}
