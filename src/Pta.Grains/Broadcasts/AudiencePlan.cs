using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Freezes a broadcast's audience: one mail per address even when a guardian has children in two of the schools
/// (a sibling in the junior high), then cut into shards of at most <c>shardSize</c> that never mix schools, so each
/// shard has one sender. The first school listed keeps a shared address.
/// </summary>
public sealed class AudiencePlan
{
    private AudiencePlan(List<ShardPlan> shards, List<IReadOnlyList<Recipient>> recipients, Dictionary<Carrier, int> byCarrier)
    {
        Shards = shards;
        Recipients = recipients;
        RecipientsByCarrier = byCarrier;
    }

    public IReadOnlyList<ShardPlan> Shards { get; }

    /// <summary>Each shard's recipients, by shard index.</summary>
    public IReadOnlyList<IReadOnlyList<Recipient>> Recipients { get; }

    public Dictionary<Carrier, int> RecipientsByCarrier { get; }

    public int RecipientCount => Shards.Sum(s => s.Recipients);

    /// <summary>
    /// Whether every address belongs to one household (a guardian's two addresses are one): such a broadcast is mail
    /// to one person, which the service may not be used for (seed 001 §8). Stops at the second household found.
    /// </summary>
    public bool HasSingleHousehold()
    {
        string? first = null;
        foreach (var shard in Recipients)
        {
            foreach (var recipient in shard)
            {
                var household = Ids.HouseholdOf(recipient.Key);
                if (first is null)
                {
                    first = household;
                }
                else if (!string.Equals(first, household, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return first is not null;
    }

    /// <param name="schools">Each school with its sender and its resolved audience, in the order the caller chose.</param>
    /// <param name="shardSize">The most recipients one shard holds.</param>
    public static AudiencePlan Build(IEnumerable<(string SchoolId, string SenderAddress, string SenderName, IReadOnlyList<Recipient> Audience)> schools, int shardSize)
    {
        ArgumentNullException.ThrowIfNull(schools);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var shards = new List<ShardPlan>();
        var recipients = new List<IReadOnlyList<Recipient>>();
        var byCarrier = new Dictionary<Carrier, int>();
        foreach (var (schoolId, senderAddress, senderName, audience) in schools)
        {
            var unique = audience.Where(r => seen.Add(r.Address)).ToList();
            foreach (var recipient in unique)
            {
                var carrier = GuardianAddress.Classify(recipient.Address);
                byCarrier[carrier] = byCarrier.GetValueOrDefault(carrier) + 1;
            }

            foreach (var chunk in unique.Chunk(shardSize))
            {
                shards.Add(new ShardPlan(shards.Count, schoolId, senderAddress, senderName, chunk.Length));
                recipients.Add(chunk);
            }
        }

        return new AudiencePlan(shards, recipients, byCarrier);
    }
}
