using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>
/// A school's PTA: its sender identity, this year's officers, and a member list built only from guardians'
/// explicit opt-in (seed 003). Members are kept as the same compact <see cref="GuardianContact"/> the school
/// keeps, pushed by the guardian grain, so a PTA broadcast never wakes guardian grains.
/// Keyed by PTA id (<see cref="Ids.PtaId"/>).
/// </summary>
public interface IPtaGrain : IGrainWithStringKey
{
    /// <summary>Creates the PTA or changes its name and sender identity.</summary>
    Task ConfigureAsync(PtaProfile profile);

    /// <summary>The profile, or null when the PTA was never configured.</summary>
    [AlwaysInterleave]
    Task<PtaProfile?> GetProfileAsync();

    /// <summary>Profile, officers and members, or null when the PTA was never configured.</summary>
    [AlwaysInterleave]
    Task<PtaView?> GetAsync();

    /// <summary>Replaces the officers (the yearly change); the sender address stays as it is.</summary>
    Task SetOfficersAsync(IReadOnlyList<PtaOfficer> officers);

    /// <summary>Adds a member or updates a member's contact (pushed by the guardian grain on every change).</summary>
    Task UpdateMemberAsync(GuardianContact contact);

    /// <summary>Removes a member from the list at once (seed 003: a stopped recipient leaves the list immediately).</summary>
    Task RemoveMemberAsync(string guardianId);

    /// <summary>The members' broadcast addresses (slots 1–2, verified, switch on), each address once.</summary>
    Task<IReadOnlyList<Recipient>> ResolveAudienceAsync();
}
