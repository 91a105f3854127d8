using System.Security.Cryptography;
using System.Text;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <summary>
/// <inheritdoc cref="ISchoolGrain"/>
/// Hot path (audience resolution): the recipient snapshot is a flat array built in memory from the persisted
/// children and contacts, rebuilt only when they change, so a broadcast walks one array.
/// </summary>
public sealed class SchoolGrain(
    [PersistentState("school", StorageNames.State)] IPersistentState<SchoolState> state) : Grain, ISchoolGrain
{
    private SnapshotEntry[]? _snapshot;

    public async Task ConfigureAsync(SchoolProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.SchoolId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The profile's school id must be the grain key.", nameof(profile));
        }

        if (state.State.Profile == profile)
        {
            return;
        }

        state.State.Profile = profile;
        await state.WriteStateAsync();
    }

    public Task<SchoolProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);

    public async Task ReplaceRosterAsync(IReadOnlyList<RosterEntry> roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var children = new Dictionary<string, ChildRecord>();
        var guardians = new Dictionary<string, GuardianContact>();
        foreach (var entry in roster)
        {
            var childId = $"ch-{entry.GuardianId}-{entry.Grade}-{entry.Class}";
            children[childId] = new ChildRecord(childId, "", entry.Grade, entry.Class, [entry.GuardianId]);
            // A guardian listed again for a sibling keeps the addresses of the first listing.
            guardians.TryAdd(entry.GuardianId, new GuardianContact(
                entry.GuardianId,
                "",
                [.. entry.BroadcastAddresses.Select((a, i) => new AddressSlot(i + 1, a, AddressStatus.Verified, null))],
                ReceiveBroadcasts: true));
        }

        state.State.Children = children;
        state.State.Guardians = guardians;
        await SaveAsync();
    }

    public async Task SetAuthCodeAsync(byte[] codeHash)
    {
        state.State.AuthCodeHash = codeHash;
        await state.WriteStateAsync();
    }

    public Task<bool> CheckAuthCodeAsync(string code)
    {
        var stored = state.State.AuthCodeHash;
        var matches = stored is not null && !string.IsNullOrEmpty(code)
            && CryptographicOperations.FixedTimeEquals(stored, SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim())));
        return Task.FromResult(matches);
    }

    public async Task<string?> RegisterChildAsync(string childName, int grade, string className, string guardianId)
    {
        var existing = state.State.Children.Values.FirstOrDefault(c =>
            c.Grade == grade && c.Class == className && string.Equals(c.Name, childName, StringComparison.Ordinal));
        if (existing is not null && existing.GuardianIds.Contains(guardianId))
        {
            return existing.ChildId;
        }

        if (existing is { GuardianIds.Count: >= ChildRecord.MaxGuardians })
        {
            return null;
        }

        var child = existing is null
            ? new ChildRecord(Ids.New("ch"), childName, grade, className, [guardianId])
            : existing with { GuardianIds = [.. existing.GuardianIds, guardianId] };
        state.State.Children[child.ChildId] = child;
        await SaveAsync();
        return child.ChildId;
    }

    public async Task UpdateGuardianAsync(GuardianContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (state.State.Guardians.TryGetValue(contact.GuardianId, out var known) && SameContact(known, contact))
        {
            return;
        }

        state.State.Guardians[contact.GuardianId] = contact;
        await SaveAsync();
    }

    public async Task RemoveGuardianAsync(string guardianId)
    {
        var changed = state.State.Guardians.Remove(guardianId);
        foreach (var child in state.State.Children.Values.Where(c => c.GuardianIds.Contains(guardianId)).ToList())
        {
            changed = true;
            var remaining = child.GuardianIds.Where(g => g != guardianId).ToList();
            if (remaining.Count == 0)
            {
                state.State.Children.Remove(child.ChildId);
            }
            else
            {
                state.State.Children[child.ChildId] = child with { GuardianIds = remaining };
            }
        }

        if (changed)
        {
            await SaveAsync();
        }
    }

    public Task<SchoolRoster> GetRosterAsync() =>
        Task.FromResult(new SchoolRoster([.. state.State.Children.Values], new Dictionary<string, GuardianContact>(state.State.Guardians)));

    public Task<IReadOnlyList<Recipient>> ResolveAudienceAsync(Audience audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        _snapshot ??= BuildSnapshot();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var entry in _snapshot)
        {
            // A guardian of two children in the audience, or two guardians sharing an address, get one mail per address.
            if (audience.Includes(entry.Grade, entry.Class) && seen.Add(entry.Recipient.Address))
            {
                recipients.Add(entry.Recipient);
            }
        }

        return Task.FromResult<IReadOnlyList<Recipient>>(recipients);
    }

    private async Task SaveAsync()
    {
        _snapshot = null; // rebuilt on the next broadcast
        await state.WriteStateAsync();
    }

    /// <summary>One row per (child, guardian, broadcast address), in a stable order so shards are reproducible.</summary>
    private SnapshotEntry[] BuildSnapshot()
    {
        var entries = new List<SnapshotEntry>();
        foreach (var child in state.State.Children.Values.OrderBy(c => c.ChildId, StringComparer.Ordinal))
        {
            foreach (var guardianId in child.GuardianIds)
            {
                if (!state.State.Guardians.TryGetValue(guardianId, out var contact))
                {
                    continue;
                }

                foreach (var slot in contact.BroadcastAddresses)
                {
                    entries.Add(new SnapshotEntry(child.Grade, child.Class, new Recipient($"{guardianId}-{slot.Slot}", slot.Address)));
                }
            }
        }

        return [.. entries];
    }

    private static bool SameContact(GuardianContact a, GuardianContact b) =>
        a.Name == b.Name && a.ReceiveBroadcasts == b.ReceiveBroadcasts && a.Addresses.SequenceEqual(b.Addresses);

    private readonly record struct SnapshotEntry(int Grade, string Class, Recipient Recipient);
}
