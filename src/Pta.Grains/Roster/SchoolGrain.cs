using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <inheritdoc cref="ISchoolGrain"/>
public sealed class SchoolGrain(
    [PersistentState("school", StorageNames.State)] IPersistentState<SchoolState> state) : Grain, ISchoolGrain
{
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
        state.State.Roster = [.. roster];
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<Recipient>> ResolveAudienceAsync(Audience audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new List<Recipient>();
        foreach (var entry in state.State.Roster)
        {
            if (!audience.Includes(entry.Grade, entry.Class))
            {
                continue;
            }

            // Slots 1 and 2 receive broadcasts (seed 004). A guardian with two children in the audience,
            // or two guardians sharing an address, still get one mail per address.
            for (var slot = 0; slot < entry.BroadcastAddresses.Count && slot < 2; slot++)
            {
                var address = entry.BroadcastAddresses[slot];
                if (seen.Add(address))
                {
                    recipients.Add(new Recipient($"{entry.GuardianId}-{slot + 1}", address));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<Recipient>>(recipients);
    }
}
