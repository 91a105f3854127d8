using Pta.Grains.Abstractions;

namespace Pta.Grains.Pta;

/// <inheritdoc cref="IPtaGrain"/>
public sealed class PtaGrain(
    [PersistentState("pta", StorageNames.State)] IPersistentState<PtaState> state) : Grain, IPtaGrain
{
    public async Task ConfigureAsync(PtaProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.PtaId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The profile's PTA id must be the grain key.", nameof(profile));
        }

        if (state.State.Profile == profile)
        {
            return;
        }

        state.State.Profile = profile;
        await state.WriteStateAsync();
    }

    public Task<PtaProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);

    public Task<PtaView?> GetAsync() =>
        Task.FromResult(state.State.Profile is { } profile
            ? new PtaView(profile, [.. state.State.Officers], [.. state.State.Members.Values.OrderBy(m => m.GuardianId, StringComparer.Ordinal)])
            : null);

    public async Task SetOfficersAsync(IReadOnlyList<PtaOfficer> officers)
    {
        ArgumentNullException.ThrowIfNull(officers);
        RequireConfigured();
        if (state.State.Officers.SequenceEqual(officers))
        {
            return;
        }

        state.State.Officers = [.. officers];
        await state.WriteStateAsync();
    }

    public async Task UpdateMemberAsync(GuardianContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        RequireConfigured();
        if (state.State.Members.TryGetValue(contact.GuardianId, out var known) && SameContact(known, contact))
        {
            return;
        }

        state.State.Members[contact.GuardianId] = contact;
        await state.WriteStateAsync();
    }

    public async Task RemoveMemberAsync(string guardianId)
    {
        if (state.State.Members.Remove(guardianId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<Recipient>> ResolveAudienceAsync()
    {
        // A few hundred members at most: walked directly, no snapshot as in the school grain.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var member in state.State.Members.Values.OrderBy(m => m.GuardianId, StringComparer.Ordinal))
        {
            foreach (var slot in member.BroadcastAddresses)
            {
                if (seen.Add(slot.Address))
                {
                    recipients.Add(new Recipient($"{member.GuardianId}-{slot.Slot}", slot.Address));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<Recipient>>(recipients);
    }

    private void RequireConfigured()
    {
        if (state.State.Profile is null)
        {
            throw new InvalidOperationException("The PTA is not configured.");
        }
    }

    private static bool SameContact(GuardianContact a, GuardianContact b) =>
        a.Name == b.Name && a.ReceiveBroadcasts == b.ReceiveBroadcasts && a.Addresses.SequenceEqual(b.Addresses);
}
