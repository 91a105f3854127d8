namespace Pta.Grains.Abstractions;

/// <summary>
/// Who did something to a broadcast, for its audit trail (who, when, what, from where): the credential's key id
/// and label, its role and the client address the gateway saw.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-actor")]
public sealed record BroadcastActor(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Label,
    [property: Id(2)] CredentialRole Role,
    [property: Id(3)] string? Origin)
{
    /// <summary>The system itself (the scheduler, follow-ups).</summary>
    public static BroadcastActor System { get; } = new("system", "system", CredentialRole.Board, null);

    /// <summary>Operators draft; their non-emergency broadcasts wait for approval.</summary>
    public bool NeedsApproval => Role is CredentialRole.Operator or CredentialRole.BoardOperator;
}
