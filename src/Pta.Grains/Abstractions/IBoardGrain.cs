using Orleans.Concurrency;

namespace Pta.Grains.Abstractions;

/// <summary>A city education board, the tenant that owns schools. Keyed by board id.</summary>
public interface IBoardGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the board.</summary>
    Task ConfigureAsync(BoardProfile profile);

    /// <summary>The profile, or null when the board was never registered.</summary>
    [AlwaysInterleave]
    Task<BoardProfile?> GetProfileAsync();
}
