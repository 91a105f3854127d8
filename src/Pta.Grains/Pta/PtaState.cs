using Pta.Grains.Abstractions;

namespace Pta.Grains.Pta;

/// <summary>Persisted state of a PTA grain.</summary>
[GenerateSerializer, Alias("pta.pta-state")]
public sealed class PtaState
{
    [Id(0)] public PtaProfile? Profile { get; set; }

    [Id(1)] public List<PtaOfficer> Officers { get; set; } = [];

    [Id(2)] public Dictionary<string, GuardianContact> Members { get; set; } = [];
}
