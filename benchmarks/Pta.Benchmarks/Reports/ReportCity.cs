using System.Globalization;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Delivery;
using Pta.Grains.Reports;

namespace Pta.Benchmarks.Reports;

/// <summary>
/// A synthetic city-wide broadcast for the report benchmark: households of 2,000 per school, every fifth with a second
/// broadcast address (as the demo city), one child each (grades 1–6, classes 1–4) and a second child in the next grade
/// for every tenth. Per 100 addresses: 1 unknown user, 1 rejected, 1 still deferred, 1 deferred then sent, the rest
/// sent, spread over 10 minutes; 60% of households confirm over 30 minutes.
/// </summary>
public sealed class ReportCity
{
    public const int HouseholdsPerSchool = 2000;
    public const int ShardSize = 500;
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private ReportCity(int households) => Households = households;

    public int Households { get; }

    public int Schools => (Households + HouseholdsPerSchool - 1) / HouseholdsPerSchool;

    public List<ShardPlan> Shards { get; } = [];

    public List<IReadOnlyList<Recipient>> Audience { get; } = [];

    public int Recipients => Audience.Sum(s => s.Count);

    /// <summary>The households that make about <paramref name="recipients"/> addresses (1.2 per household).</summary>
    public static ReportCity Build(int recipients)
    {
        var city = new ReportCity((int)Math.Ceiling(recipients / 1.2));
        for (var school = 0; school < city.Schools; school++)
        {
            var first = school * HouseholdsPerSchool;
            var schoolRecipients = Enumerable.Range(first, Math.Min(HouseholdsPerSchool, city.Households - first))
                .SelectMany(h => h % 5 == 0 ? new[] { Recipient(h, 1), Recipient(h, 2) } : [Recipient(h, 1)]);
            foreach (var chunk in schoolRecipients.Chunk(ShardSize))
            {
                city.Shards.Add(new ShardPlan(city.Shards.Count, SchoolId(school), "", "", chunk.Length));
                city.Audience.Add(chunk);
            }
        }

        return city;
    }

    public static string SchoolId(int school) => string.Create(CultureInfo.InvariantCulture, $"bench-{school:D4}");

    /// <summary>The ledger as the shards would leave it, in batches of <paramref name="batch"/> (one binary COPY each).</summary>
    public IEnumerable<List<DeliveryOutcome>> Outcomes(string broadcastId, int batch)
    {
        var n = 0;
        var total = Recipients;
        var rows = new List<DeliveryOutcome>(batch);
        foreach (var shard in Shards)
        {
            foreach (var recipient in Audience[shard.Index])
            {
                var at = T0.AddSeconds(600.0 * n / total);
                var (status, reply) = (n % 100) switch
                {
                    0 => (DeliveryStatus.InvalidAddress, "550 5.1.1 user unknown"),
                    1 => (DeliveryStatus.Failed, "554 5.7.1 rejected"),
                    2 or 3 => (DeliveryStatus.Deferred, "421 4.7.0 try again later"),
                    _ => (DeliveryStatus.Sent, (string?)"250 2.0.0 ok"),
                };
                rows.Add(new DeliveryOutcome(broadcastId, shard.Index, recipient.Key, status, 1, reply, at));
                if (n % 100 == 3)
                {
                    rows.Add(new DeliveryOutcome(broadcastId, shard.Index, recipient.Key, DeliveryStatus.Sent, 2, "250 2.0.0 ok", at.AddMinutes(1)));
                }

                n++;
                if (rows.Count >= batch)
                {
                    yield return rows;
                    rows = new List<DeliveryOutcome>(batch);
                }
            }
        }

        if (rows.Count > 0)
        {
            yield return rows;
        }
    }

    public async Task ConfirmAsync(IConfirmationStore store, string broadcastId)
    {
        for (var h = 0; h < Households; h++)
        {
            if (h % 10 < 6)
            {
                await store.RecordAsync(new ConfirmationRecord(broadcastId, Guardian(h), $"{Guardian(h)}-1", T0.AddSeconds(60 + 1800.0 * h / Households)), CancellationToken.None);
            }
        }
    }

    /// <summary>Each school's roster as its grain would return it.</summary>
    public IReadOnlyList<ReportSchool> Rosters() =>
        [.. Enumerable.Range(0, Schools).Select(school =>
        {
            var children = new List<ChildRecord>();
            var guardians = new Dictionary<string, GuardianContact>();
            for (var h = school * HouseholdsPerSchool; h < Math.Min((school + 1) * HouseholdsPerSchool, Households); h++)
            {
                var grade = h % 6 + 1;
                var className = (h / 6 % 4 + 1).ToString(CultureInfo.InvariantCulture);
                children.Add(new ChildRecord($"ch{h}", $"児童{h}", grade, className, [Guardian(h)]));
                if (h % 10 == 0)
                {
                    children.Add(new ChildRecord($"ch{h}b", $"児童{h}b", grade % 6 + 1, className, [Guardian(h)]));
                }

                guardians[Guardian(h)] = new GuardianContact(Guardian(h), $"保護者{h}",
                    [.. Enumerable.Range(1, h % 5 == 0 ? 2 : 1).Select(slot => new AddressSlot(slot, Address(h, slot), AddressStatus.Verified, null))], true);
            }

            return new ReportSchool(SchoolId(school), $"ベンチ市立第{school}小学校", new SchoolRoster(children, guardians));
        })];

    private static string Guardian(int h) => string.Create(CultureInfo.InvariantCulture, $"gd-{h:x8}");

    private static string Address(int h, int slot) => string.Create(CultureInfo.InvariantCulture, $"hogosha{h:D7}.{slot}@docomo.ne.jp");

    private static Recipient Recipient(int h, int slot) => new($"{Guardian(h)}-{slot}", Address(h, slot));
}
