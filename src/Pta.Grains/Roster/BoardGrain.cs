using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <inheritdoc cref="IBoardGrain"/>
public sealed class BoardGrain(
    [PersistentState("board", StorageNames.State)] IPersistentState<BoardState> state) : Grain, IBoardGrain
{
    public async Task ConfigureAsync(BoardProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.BoardId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The profile's board id must be the grain key.", nameof(profile));
        }

        state.State.Profile = profile;
        await state.WriteStateAsync();
    }

    public async Task AddSchoolAsync(string schoolId)
    {
        if (state.State.Profile is not { } profile)
        {
            throw new InvalidOperationException("The board is not registered.");
        }

        if (!profile.SchoolIds.Contains(schoolId))
        {
            state.State.Profile = profile with { SchoolIds = [.. profile.SchoolIds, schoolId] };
            await state.WriteStateAsync();
        }
    }

    public Task<BoardProfile?> GetProfileAsync() => Task.FromResult(state.State.Profile);
}
