namespace Pta.Grains.Persistence;

/// <summary>What one run of the <c>reseal</c> command changed: rows of each kind.</summary>
public sealed record AtRestResealReport(int GrainStates, int AudienceAddresses, int DeliveryReplies, int AuditDetails, int LegacyOwnerRows)
{
    public override string ToString() =>
        $"resealed {GrainStates} grain states and {AudienceAddresses} audience addresses; masked addresses in {DeliveryReplies} delivery replies " +
        $"and {AuditDetails} audit details; removed {LegacyOwnerRows} cleared address-owner rows under the old plain-hash key";
}
