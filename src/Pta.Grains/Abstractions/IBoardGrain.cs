using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>A city education board, the tenant that owns schools. Keyed by board id.</summary>
public interface IBoardGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the board.</summary>
    Task ConfigureAsync(BoardProfile profile);

    /// <summary>Adds a school to the board's list (idempotent; inside the grain, so concurrent calls cannot lose one).</summary>
    Task AddSchoolAsync(string schoolId);

    /// <summary>The profile, or null when the board was never registered.</summary>
    [AlwaysInterleave]
    Task<BoardProfile?> GetProfileAsync();
}
