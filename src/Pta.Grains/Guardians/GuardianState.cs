using Pta.Grains.Abstractions;

namespace Pta.Grains.Guardians;

/// <summary>Persisted state of a guardian grain.</summary>
[GenerateSerializer, Alias("pta.guardian-state")]
public sealed class GuardianState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public List<AddressSlot> Addresses { get; set; } = [];

    [Id(2)] public bool ReceiveBroadcasts { get; set; } = true;

    [Id(3)] public List<ChildLink> Children { get; set; } = [];

    [Id(4)] public List<ConsentRecord> Consents { get; set; } = [];

    [Id(5)] public GuardianStatus Status { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public DateTimeOffset? WithdrawnAt { get; set; }

    [Id(8)] public DateTimeOffset? PurgedAt { get; set; }

    /// <summary>The PTAs the guardian joined (opt-in, each with a <c>pta:&lt;id&gt;</c> consent).</summary>
    [Id(9)] public List<string> Ptas { get; set; } = [];
}
