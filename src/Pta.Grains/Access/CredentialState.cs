using Pta.Grains.Abstractions;

namespace Pta.Grains.Access;

/// <summary>Persisted state of a credential grain.</summary>
[GenerateSerializer, Alias("pta.credential-state")]
public sealed class CredentialState
{
    [Id(0)] public CredentialGrant? Grant { get; set; }

    [Id(1)] public byte[]? SecretHash { get; set; }
}
