using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// A school: its profile and its roster, kept as a compact list that the fan-out reads in one call,
/// so that a broadcast never wakes one grain per guardian. Keyed by school id.
/// </summary>
public interface ISchoolGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the school's profile (name, sender identity, board).</summary>
    Task ConfigureAsync(SchoolProfile profile);

    /// <summary>The profile, or null when the school was never registered.</summary>
    [AlwaysInterleave]
    Task<SchoolProfile?> GetProfileAsync();

    /// <summary>Replaces the whole roster in one write (bulk import path).</summary>
    Task ReplaceRosterAsync(IReadOnlyList<RosterEntry> roster);

    /// <summary>The broadcast recipients of an audience: every address in slots 1–2, each address once.</summary>
    Task<IReadOnlyList<Recipient>> ResolveAudienceAsync(Audience audience);
}
