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
            var childId = $"{ImportedChildPrefix}{entry.GuardianId}-{entry.Grade}-{entry.Class}";
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

    public async Task<RosterImportResult> ImportRosterAsync(IReadOnlyList<RosterImportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var schoolId = this.GetPrimaryKeyString();

        // Imported ids are derived from the data (prefix "ch-i-" / "gi-"), so importing the same list twice
        // changes nothing, and self-registered children ("ch-" + random, guardians "gd-") are told apart.
        var kept = state.State.Children.Values.Where(c => !c.ChildId.StartsWith(ImportedChildPrefix, StringComparison.Ordinal)).ToList();
        var children = kept.ToDictionary(c => c.ChildId);
        var keptGuardians = kept.SelectMany(c => c.GuardianIds).ToHashSet();
        var guardians = state.State.Guardians.Where(g => keptGuardians.Contains(g.Key)).ToDictionary(g => g.Key, g => g.Value);
        foreach (var row in rows)
        {
            var guardianId = ImportedGuardianPrefix + StableHash($"{schoolId}|{row.Addresses[0].ToLowerInvariant()}");
            var childId = ImportedChildPrefix + StableHash($"{schoolId}|{row.Grade}|{row.Class}|{row.ChildName}");
            children[childId] = children.TryGetValue(childId, out var sibling) && !sibling.GuardianIds.Contains(guardianId)
                ? sibling with { GuardianIds = [.. sibling.GuardianIds, guardianId] }
                : children.GetValueOrDefault(childId)
                  ?? new ChildRecord(childId, row.ChildName, row.Grade, row.Class, [guardianId], state.State.Children.GetValueOrDefault(childId)?.GroupIds);
            guardians.TryAdd(guardianId, new GuardianContact(
                guardianId,
                row.GuardianName,
                [.. row.Addresses.Select((a, i) => new AddressSlot(i + 1, a, AddressStatus.Verified, null))],
                ReceiveBroadcasts: true));
        }

        state.State.Children = children;
        state.State.Guardians = guardians;
        await SaveAsync();
        return new RosterImportResult(children.Count, guardians.Count(g => g.Key.StartsWith(ImportedGuardianPrefix, StringComparison.Ordinal)), kept.Count);
    }

    private const string ImportedChildPrefix = "ch-i-";
    private const string ImportedGuardianPrefix = "gi-";

    private static string StableHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));

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

    public async Task<RollOverResult> RollOverAsync(int topGrade)
    {
        var schoolId = this.GetPrimaryKeyString();
        var graduates = state.State.Children.Values.Where(c => c.Grade >= topGrade).ToList();
        var promoted = 0;
        foreach (var child in state.State.Children.Values.Where(c => c.Grade < topGrade).ToList())
        {
            state.State.Children[child.ChildId] = child with { Grade = child.Grade + 1 };
            promoted++;
        }

        foreach (var graduate in graduates)
        {
            state.State.Children.Remove(graduate.ChildId);
        }

        var orphans = RemoveGuardiansWithoutChildren();
        await SaveAsync();

        // Registered guardians forget the graduated child; imported contacts have no grain to tell.
        foreach (var graduate in graduates)
        {
            await TellGuardiansAsync(graduate, new ChildLink(schoolId, graduate.ChildId), to: null);
        }

        return new RollOverResult(promoted, graduates.Count, orphans);
    }

    public async Task<bool> TransferChildAsync(string childId, string targetSchoolId, int grade, string className)
    {
        var schoolId = this.GetPrimaryKeyString();
        if (!state.State.Children.TryGetValue(childId, out var child) || targetSchoolId == schoolId || state.State.Profile is null)
        {
            return false;
        }

        var target = GrainFactory.GetGrain<ISchoolGrain>(targetSchoolId);
        if (await target.GetProfileAsync() is not { } targetProfile || targetProfile.BoardId != state.State.Profile.BoardId)
        {
            return false;
        }

        // Self-registered guardians (gd-…) and their children have city-wide ids; imported ones are only unique
        // within their school, so they move under new ids that cannot collide at the target.
        var imported = child.GuardianIds.Any(id => !id.StartsWith("gd-", StringComparison.Ordinal));
        var guardianIds = child.GuardianIds.ToDictionary(id => id, id => id.StartsWith("gd-", StringComparison.Ordinal) ? id : $"{schoolId}.{id}");
        var moved = child with
        {
            ChildId = imported ? Ids.New("ch") : child.ChildId,
            Grade = grade,
            Class = className,
            GuardianIds = [.. child.GuardianIds.Select(id => guardianIds[id])],
        };
        var contacts = child.GuardianIds
            .Select(id => state.State.Guardians.GetValueOrDefault(id) is { } contact ? contact with { GuardianId = guardianIds[id] } : null)
            .OfType<GuardianContact>()
            .ToList();
        await target.AcceptTransferAsync(moved, contacts); // first in, then out: a crash in between duplicates, never loses
        state.State.Children.Remove(childId);
        RemoveGuardiansWithoutChildren();
        await SaveAsync();
        await TellGuardiansAsync(child, new ChildLink(schoolId, childId), new ChildLink(targetSchoolId, moved.ChildId));
        return true;
    }

    public async Task AcceptTransferAsync(ChildRecord child, IReadOnlyList<GuardianContact> guardians)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(guardians);
        state.State.Children[child.ChildId] = child;
        foreach (var contact in guardians)
        {
            state.State.Guardians[contact.GuardianId] = contact;
        }

        await SaveAsync();
    }

    public async Task<SchoolGroup?> PutGroupAsync(string groupId, string name, IReadOnlyList<string> childIds)
    {
        ArgumentNullException.ThrowIfNull(childIds);
        var members = childIds.ToHashSet(StringComparer.Ordinal);
        if (!members.All(state.State.Children.ContainsKey))
        {
            return null;
        }

        state.State.Groups[groupId] = name;
        foreach (var child in state.State.Children.Values.ToList())
        {
            var groups = child.GroupIds ?? [];
            var inGroup = groups.Contains(groupId);
            if (members.Contains(child.ChildId) != inGroup)
            {
                state.State.Children[child.ChildId] = child with
                {
                    GroupIds = inGroup ? [.. groups.Where(g => g != groupId)] : [.. groups, groupId],
                };
            }
        }

        await SaveAsync();
        return new SchoolGroup(groupId, name, members.Count);
    }

    public async Task<bool> RemoveGroupAsync(string groupId)
    {
        if (!state.State.Groups.Remove(groupId))
        {
            return false;
        }

        foreach (var child in state.State.Children.Values.Where(c => c.GroupIds?.Contains(groupId) == true).ToList())
        {
            state.State.Children[child.ChildId] = child with { GroupIds = [.. child.GroupIds!.Where(g => g != groupId)] };
        }

        await SaveAsync();
        return true;
    }

    public Task<IReadOnlyList<SchoolGroup>> GetGroupsAsync() =>
        Task.FromResult<IReadOnlyList<SchoolGroup>>([.. state.State.Groups
            .Select(g => new SchoolGroup(g.Key, g.Value, state.State.Children.Values.Count(c => c.GroupIds?.Contains(g.Key) == true)))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)]);

    public async Task SuppressAsync(IReadOnlyList<Recipient> invalid)
    {
        ArgumentNullException.ThrowIfNull(invalid);
        var changed = false;
        foreach (var recipient in invalid)
        {
            if (ParseKey(recipient.Key) is not var (guardianId, slot) || !state.State.Guardians.TryGetValue(guardianId, out var contact))
            {
                continue;
            }

            var addresses = contact.Addresses
                .Select(a => a.Slot == slot && string.Equals(a.Address, recipient.Address, StringComparison.OrdinalIgnoreCase)
                    ? a with { Status = AddressStatus.Invalid, VerifiedAt = null }
                    : a)
                .ToList();
            if (!addresses.SequenceEqual(contact.Addresses))
            {
                state.State.Guardians[guardianId] = contact with { Addresses = addresses };
                changed = true;
            }
        }

        if (changed)
        {
            await SaveAsync();
        }
    }

    /// <summary>Splits a recipient key <c>&lt;guardian id&gt;-&lt;slot&gt;</c> (guardian ids contain hyphens too).</summary>
    public static (string GuardianId, int Slot)? ParseKey(string key)
    {
        var dash = key.LastIndexOf('-');
        return dash > 0 && int.TryParse(key.AsSpan(dash + 1), out var slot) ? (key[..dash], slot) : null;
    }

    public Task<SchoolRoster> GetRosterAsync() =>
        Task.FromResult(new SchoolRoster([.. state.State.Children.Values], new Dictionary<string, GuardianContact>(state.State.Guardians)));

    public Task<IReadOnlyList<Recipient>> ResolveAudienceAsync(Audience audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        if (audience.EveryRegisteredAddress)
        {
            return Task.FromResult(EveryRegisteredAddress(audience));
        }

        _snapshot ??= BuildSnapshot();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var entry in _snapshot)
        {
            // A guardian of two children in the audience, or two guardians sharing an address, get one mail per address.
            if (audience.Includes(entry.Grade, entry.Class, entry.GroupIds) && seen.Add(entry.Recipient.Address))
            {
                recipients.Add(entry.Recipient);
            }
        }

        return Task.FromResult<IReadOnlyList<Recipient>>(recipients);
    }

    /// <summary>
    /// A maintenance notice's recipients: every verified address in any slot, switch on or off (rare, so read from
    /// state rather than kept as a second snapshot).
    /// </summary>
    private IReadOnlyList<Recipient> EveryRegisteredAddress(Audience audience)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var child in state.State.Children.Values.OrderBy(c => c.ChildId, StringComparer.Ordinal))
        {
            if (!audience.Includes(child.Grade, child.Class, child.GroupIds))
            {
                continue;
            }

            foreach (var guardianId in child.GuardianIds)
            {
                if (!state.State.Guardians.TryGetValue(guardianId, out var contact))
                {
                    continue;
                }

                foreach (var slot in contact.Addresses.Where(a => a.Status == AddressStatus.Verified).OrderBy(a => a.Slot))
                {
                    if (seen.Add(slot.Address))
                    {
                        recipients.Add(new Recipient($"{guardianId}-{slot.Slot}", slot.Address));
                    }
                }
            }
        }

        return recipients;
    }

    /// <summary>Drops the contacts of guardians who have no child at this school any more; returns how many.</summary>
    private int RemoveGuardiansWithoutChildren()
    {
        var linked = state.State.Children.Values.SelectMany(c => c.GuardianIds).ToHashSet();
        var orphans = state.State.Guardians.Keys.Where(id => !linked.Contains(id)).ToList();
        foreach (var id in orphans)
        {
            state.State.Guardians.Remove(id);
        }

        return orphans.Count;
    }

    private async Task TellGuardiansAsync(ChildRecord child, ChildLink from, ChildLink? to)
    {
        foreach (var guardianId in child.GuardianIds.Where(id => id.StartsWith("gd-", StringComparison.Ordinal)))
        {
            await GrainFactory.GetGrain<IGuardianGrain>(guardianId).MoveChildAsync(from, to);
        }
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
                    entries.Add(new SnapshotEntry(child.Grade, child.Class, child.GroupIds, new Recipient($"{guardianId}-{slot.Slot}", slot.Address)));
                }
            }
        }

        return [.. entries];
    }

    private static bool SameContact(GuardianContact a, GuardianContact b) =>
        a.Name == b.Name && a.ReceiveBroadcasts == b.ReceiveBroadcasts && a.Addresses.SequenceEqual(b.Addresses);

    private readonly record struct SnapshotEntry(int Grade, string Class, IReadOnlyList<string>? GroupIds, Recipient Recipient);
}
