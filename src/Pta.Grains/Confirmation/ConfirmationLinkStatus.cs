namespace Pta.Grains.Confirmation;

/// <summary>What a confirmation link turned out to be when opened.</summary>
public enum ConfirmationLinkStatus
{
    /// <summary>Signed by this cluster, not expired.</summary>
    Valid,

    /// <summary>Malformed, cut short or tampered with (the signature does not match).</summary>
    Invalid,

    /// <summary>Signed by this cluster, but past its expiry.</summary>
    Expired,
}
