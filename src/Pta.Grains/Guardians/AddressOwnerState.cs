namespace Pta.Grains.Guardians;

/// <summary>Persisted state of an address owner grain.</summary>
[GenerateSerializer, Alias("pta.address-owner-state")]
public sealed class AddressOwnerState
{
    [Id(0)] public string? GuardianId { get; set; }
}
