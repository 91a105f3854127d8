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

    /// <summary>Replaces the whole roster in one write (bulk import path); imported addresses count as verified.</summary>
    Task ReplaceRosterAsync(IReadOnlyList<RosterEntry> roster);

    /// <summary>
    /// The bulk path for a class list: replaces every child that came from an earlier import in one write, keeps
    /// the children guardians registered themselves. A guardian listed for several children (siblings) is one
    /// guardian, recognised by the first address. Imported addresses count as verified: the school's own system
    /// vouches for them (see docs/operations.md).
    /// </summary>
    Task<RosterImportResult> ImportRosterAsync(IReadOnlyList<RosterImportRow> rows);

    /// <summary>Sets the registration auth code guardians need (seed 002); only its hash is kept.</summary>
    Task SetAuthCodeAsync(byte[] codeHash);

    /// <summary>Whether a code is the school's current auth code.</summary>
    [AlwaysInterleave]
    Task<bool> CheckAuthCodeAsync(string code);

    /// <summary>
    /// Adds a guardian to a child's registration, creating the child when the school has no child of that name in
    /// that class. Returns the child id, or null when the child already has three guardians.
    /// </summary>
    Task<string?> RegisterChildAsync(string childName, int grade, string className, string guardianId);

    /// <summary>The guardian's current contact data (pushed by the guardian grain on every change).</summary>
    Task UpdateGuardianAsync(GuardianContact contact);

    /// <summary>Removes a guardian from every child and from the recipient snapshot at once.</summary>
    Task RemoveGuardianAsync(string guardianId);

    /// <summary>
    /// The yearly roll-over: every child moves up a grade; children in <paramref name="topGrade"/> graduate and
    /// leave the roster (seed 002), and so do guardians left without a child here.
    /// </summary>
    Task<RollOverResult> RollOverAsync(int topGrade);

    /// <summary>
    /// Moves a child, with its guardians' contacts, to another school of the same board, into the given grade
    /// and class. The target receives the child before this school lets it go, so a crash never loses it.
    /// Returns false when the child or the target school is unknown or belongs to another board.
    /// </summary>
    Task<bool> TransferChildAsync(string childId, string targetSchoolId, int grade, string className);

    /// <summary>Receives a transferred child and its guardians' contacts (called by the source school).</summary>
    Task AcceptTransferAsync(ChildRecord child, IReadOnlyList<GuardianContact> guardians);

    /// <summary>
    /// Creates or replaces a custom group with exactly these children (a group's list is set whole, as a club's
    /// roster is handed over). Returns null when a child id is not the school's.
    /// </summary>
    Task<SchoolGroup?> PutGroupAsync(string groupId, string name, IReadOnlyList<string> childIds);

    /// <summary>Removes a group; false when there was none.</summary>
    Task<bool> RemoveGroupAsync(string groupId);

    /// <summary>The school's custom groups with their sizes.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<SchoolGroup>> GetGroupsAsync();

    /// <summary>
    /// Marks addresses the receiving server called unknown (5.1.1) invalid, so no broadcast goes to them again
    /// (carriers block senders that keep hitting unknown users). Only where the contact still has that address.
    /// </summary>
    Task SuppressAsync(IReadOnlyList<Recipient> invalid);

    /// <summary>Children with their guardians' contacts, for the school's (masked) views.</summary>
    [AlwaysInterleave]
    Task<SchoolRoster> GetRosterAsync();

    /// <summary>The broadcast recipients of an audience: every address in slots 1–2, each address once.</summary>
    Task<IReadOnlyList<Recipient>> ResolveAudienceAsync(Audience audience);
}
