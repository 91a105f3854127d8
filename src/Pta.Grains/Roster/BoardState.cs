using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <summary>Persisted state of a board grain.</summary>
[GenerateSerializer, Alias("pta.board-state")]
public sealed class BoardState
{
    [Id(0)] public BoardProfile? Profile { get; set; }
}
