using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Who sends a broadcast and to whom, resolved from the live roster when it is submitted:
/// a school and its chosen audience; a PTA (its own sender) and its opted-in members only; or a board and the
/// chosen audience of each of its chosen schools, each school's guardians under their own school's sender.
/// </summary>
internal sealed record BroadcastScope(
    string BoardId,
    string SenderAddress,
    string SenderName,
    IReadOnlyList<(string SchoolId, string SenderAddress, string SenderName, IReadOnlyList<Recipient> Audience)> Schools)
{
    /// <summary>The scope, or null when the school, PTA or board (or one of the board's chosen schools) is unknown.</summary>
    public static async Task<BroadcastScope?> ResolveAsync(IGrainFactory grains, BroadcastSubmission submission)
    {
        if (submission.BoardId is { } boardId)
        {
            return await BoardAsync(grains, boardId, submission);
        }

        if (submission.SchoolId is null || await grains.GetGrain<ISchoolGrain>(submission.SchoolId).GetProfileAsync() is not { } school)
        {
            return null;
        }

        if (submission.PtaId is null)
        {
            var audience = await grains.GetGrain<ISchoolGrain>(school.SchoolId).ResolveAudienceAsync(submission.Audience);
            return new BroadcastScope(school.BoardId, school.SenderAddress, school.SenderName,
                [(school.SchoolId, school.SenderAddress, school.SenderName, audience)]);
        }

        var pta = grains.GetGrain<IPtaGrain>(submission.PtaId);
        if (await pta.GetProfileAsync() is not { } profile || profile.SchoolId != school.SchoolId)
        {
            return null;
        }

        var members = await pta.ResolveAudienceAsync();
        return new BroadcastScope(school.BoardId, profile.SenderAddress, profile.SenderName,
            [(school.SchoolId, profile.SenderAddress, profile.SenderName, members)]);
    }

    private static async Task<BroadcastScope?> BoardAsync(IGrainFactory grains, string boardId, BroadcastSubmission submission)
    {
        if (await grains.GetGrain<IBoardGrain>(boardId).GetProfileAsync() is not { } board)
        {
            return null;
        }

        var chosen = submission.SchoolIds is { Count: > 0 } ids ? ids : board.SchoolIds;
        if (chosen.Any(id => !board.SchoolIds.Contains(id)))
        {
            return null;
        }

        // Every school resolves its own audience on its own silo, all at once.
        var schools = await Task.WhenAll(chosen.Select(async id =>
        {
            var grain = grains.GetGrain<ISchoolGrain>(id);
            var profile = await grain.GetProfileAsync();
            return profile is null || profile.BoardId != boardId
                ? ((string, string, string, IReadOnlyList<Recipient>)?)null
                : (profile.SchoolId, profile.SenderAddress, profile.SenderName, await grain.ResolveAudienceAsync(submission.Audience));
        }));
        if (schools.Any(s => s is null))
        {
            return null;
        }

        return new BroadcastScope(boardId, board.SenderAddress, board.Name, [.. schools.Select(s => s!.Value)]);
    }
}
