using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Reports;

/// <summary>
/// The frozen audience joined with the delivery ledger and the confirmations, by household (guardian id,
/// <see cref="Ids.HouseholdOf"/>, within the school whose shard holds it: ids are unique across schools in production,
/// but a roster replaced in bulk may reuse them). Hot path of a city-wide report (a million recipients), measured by
/// benchmarks/report.sh: parallel arrays indexed by recipient and by household, sized from the shard plan; one lookup
/// per input row in per-school string dictionaries (string keys hash faster than tuples), the household found by a span
/// of the recipient key, so the only allocation per row is one id string per new household; every step is linear.
/// </summary>
internal sealed class HouseholdIndex
{
    private readonly List<Recipient> _recipients;
    private readonly List<int> _householdOf;
    private readonly List<int> _nextOfHousehold; // the household's next recipient, or -1
    private readonly List<string> _guardians;
    private readonly List<int> _homeSchools;
    private readonly List<int> _firstRecipients;
    private readonly List<int> _lastRecipients;
    private readonly List<int> _otherWithGuardian; // an earlier household of the same guardian id at another school, or -1
    private readonly Dictionary<string, int>[] _recipientsBySchool;
    private readonly Dictionary<string, int>[] _householdsBySchool;
    private readonly Dictionary<string, int> _byGuardian; // the latest household of a guardian id
    private readonly int[] _shardSchools;
    private DeliveryOutcome?[] _outcomes = [];
    private DateTimeOffset?[] _confirmedAt = [];
    private HouseholdTally[] _tallies = [];
    private Dictionary<string, int>? _byAddress;

    public int HouseholdCount => _guardians.Count;

    public int RecipientCount => _recipients.Count;

    private HouseholdIndex(int[] shardSchools, IReadOnlyList<ShardPlan> shards, int schools)
    {
        _shardSchools = shardSchools;
        var perSchool = new int[schools];
        foreach (var shard in shards)
        {
            perSchool[_shardSchools[shard.Index]] += shard.Recipients;
        }

        var total = perSchool.Sum();
        (_recipients, _householdOf, _nextOfHousehold) = (new(total), new(total), new(total));
        (_guardians, _homeSchools, _firstRecipients, _lastRecipients, _otherWithGuardian) = (new(total), new(total), new(total), new(total), new(total));
        _recipientsBySchool = [.. perSchool.Select(n => new Dictionary<string, int>(n, StringComparer.Ordinal))];
        _householdsBySchool = [.. perSchool.Select(n => new Dictionary<string, int>(n, StringComparer.Ordinal))];
        _byGuardian = new Dictionary<string, int>(total, StringComparer.Ordinal);
    }

    /// <param name="inputs">The broadcast's plan, audience, outcomes and confirmations.</param>
    /// <param name="schoolIndex">The index in the report's school list of each school id that shards name.</param>
    public static HouseholdIndex Build(ReportInputs inputs, IReadOnlyDictionary<string, int> schoolIndex)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var index = new HouseholdIndex([.. inputs.Plan.Shards.Select(p => schoolIndex[p.SchoolId])], inputs.Plan.Shards, schoolIndex.Count);
        for (var s = 0; s < inputs.AudienceByShard.Count && s < index._shardSchools.Length; s++)
        {
            var school = index._shardSchools[s];
            foreach (var recipient in inputs.AudienceByShard[s])
            {
                index.AddRecipient(recipient, school);
            }
        }

        index._outcomes = new DeliveryOutcome?[index._recipients.Count];
        foreach (var outcome in inputs.Outcomes)
        {
            if (outcome.ShardIndex >= 0 && outcome.ShardIndex < index._shardSchools.Length
                && index._recipientsBySchool[index._shardSchools[outcome.ShardIndex]].TryGetValue(outcome.RecipientKey, out var r))
            {
                index._outcomes[r] = outcome;
            }
        }

        index._confirmedAt = new DateTimeOffset?[index._guardians.Count];
        foreach (var confirmation in inputs.Confirmations)
        {
            if (!index._byGuardian.TryGetValue(confirmation.Household, out var latest))
            {
                continue; // not a household of this broadcast's audience
            }

            for (var h = latest; h >= 0; h = index._otherWithGuardian[h])
            {
                if (index._confirmedAt[h] is not { } known || confirmation.At < known)
                {
                    index._confirmedAt[h] = confirmation.At;
                }
            }
        }

        index.Tally();
        return index;
    }

    public string Guardian(int household) => _guardians[household];

    public int HomeSchool(int household) => _homeSchools[household];

    public HouseholdTally Tally(int household) => _tallies[household];

    public DateTimeOffset? ConfirmedAt(int household) => _confirmedAt[household];

    /// <summary>The household's recipients (one or two addresses), in audience order.</summary>
    public IEnumerable<int> RecipientsOf(int household)
    {
        for (var r = _firstRecipients[household]; r >= 0; r = _nextOfHousehold[r])
        {
            yield return r;
        }
    }

    public Recipient Recipient(int recipient) => _recipients[recipient];

    public DeliveryOutcome? Outcome(int recipient) => _outcomes[recipient];

    /// <summary>
    /// The household a guardian on <paramref name="school"/>'s roster belongs to: by guardian id at that school, else at
    /// another (a self-registered guardian with a child at each: the first school's shard mailed it), else by one of its
    /// broadcast addresses (a parent sharing the other's address, or a sibling's school listing the same address under its
    /// own id: the audience kept the address once, under the first guardian).
    /// </summary>
    public bool TryFind(int school, string guardianId, GuardianContact? contact, out int household)
    {
        if (_householdsBySchool[school].TryGetValue(guardianId, out household) || _byGuardian.TryGetValue(guardianId, out household))
        {
            return true;
        }

        if (contact is not null)
        {
            foreach (var slot in contact.Addresses)
            {
                if (slot.Slot <= AddressSlot.BroadcastSlots && AddressIndex().TryGetValue(slot.Address, out household))
                {
                    return true;
                }
            }
        }

        household = -1;
        return false;
    }

    private void AddRecipient(Recipient recipient, int school)
    {
        var r = _recipients.Count;
        if (!_recipientsBySchool[school].TryAdd(recipient.Key, r))
        {
            return; // the audience holds each key once; a repeat would count an address twice
        }

        _recipients.Add(recipient);
        _nextOfHousehold.Add(-1);
        var guardianPart = recipient.Key.AsSpan(0, Ids.HouseholdLength(recipient.Key));
        var households = _householdsBySchool[school].GetAlternateLookup<ReadOnlySpan<char>>();
        if (households.TryGetValue(guardianPart, out var h))
        {
            _householdOf.Add(h);
            _nextOfHousehold[_lastRecipients[h]] = r;
            _lastRecipients[h] = r;
            return;
        }

        var guardian = guardianPart.Length == recipient.Key.Length ? recipient.Key : guardianPart.ToString();
        h = _guardians.Count;
        _householdOf.Add(h);
        _householdsBySchool[school].Add(guardian, h);
        _otherWithGuardian.Add(_byGuardian.TryGetValue(guardian, out var other) ? other : -1);
        _byGuardian[guardian] = h;

        _guardians.Add(guardian);
        _homeSchools.Add(school);
        _firstRecipients.Add(r);
        _lastRecipients.Add(r);
    }

    private void Tally()
    {
        _tallies = new HouseholdTally[_guardians.Count];
        for (var h = 0; h < _tallies.Length; h++)
        {
            int addresses = 0, delivered = 0, deferred = 0, bounced = 0;
            for (var r = _firstRecipients[h]; r >= 0; r = _nextOfHousehold[r])
            {
                addresses++;
                switch (_outcomes[r]?.Status)
                {
                    case DeliveryStatus.Sent:
                        delivered++;
                        break;
                    case DeliveryStatus.Deferred:
                        deferred++;
                        break;
                    case DeliveryStatus.Failed or DeliveryStatus.InvalidAddress:
                        bounced++;
                        break;
                }
            }

            _tallies[h] = new HouseholdTally(addresses, delivered, deferred, bounced, _confirmedAt[h] is not null);
        }
    }

    /// <summary>Built on first use only: most rosters find every guardian by id.</summary>
    private Dictionary<string, int> AddressIndex()
    {
        if (_byAddress is null)
        {
            _byAddress = new Dictionary<string, int>(_recipients.Count, StringComparer.OrdinalIgnoreCase);
            for (var r = 0; r < _recipients.Count; r++)
            {
                _byAddress.TryAdd(_recipients[r].Address, _householdOf[r]);
            }
        }

        return _byAddress;
    }
}
