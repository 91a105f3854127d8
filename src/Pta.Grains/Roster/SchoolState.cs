using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <summary>Persisted state of a school grain.</summary>
[GenerateSerializer, Alias("pta.school-state")]
public sealed class SchoolState
{
    [Id(0)] public SchoolProfile? Profile { get; set; }

    [Id(1)] public List<RosterEntry> Roster { get; set; } = [];
}
