using Pta.Grains.Abstractions;

namespace Pta.Grains.Roster;

/// <summary>Persisted state of a school grain: children, their guardians' contacts, the auth code's hash.</summary>
[GenerateSerializer, Alias("pta.school-state")]
public sealed class SchoolState
{
    [Id(0)] public SchoolProfile? Profile { get; set; }

    [Id(1)] public Dictionary<string, ChildRecord> Children { get; set; } = [];

    [Id(2)] public Dictionary<string, GuardianContact> Guardians { get; set; } = [];

    [Id(3)] public byte[]? AuthCodeHash { get; set; }

    /// <summary>Custom groups by id: their names (membership lives on the children).</summary>
    [Id(4)] public Dictionary<string, string> Groups { get; set; } = [];
}
