namespace Pta.Grains.Delivery;

/// <summary>
/// DKIM signing of every broadcast mail (section <c>Pta:Dkim</c>), off unless a key is configured. Mobile carriers
/// and Gmail weigh DKIM and DMARC alignment, so the signing domain defaults to the sender's own domain. Signing can
/// also be left to the relay; see docs/operations.md.
/// </summary>
public sealed class DkimOptions
{
    public const string Section = "Pta:Dkim";

    /// <summary>A PEM file with the RSA private key (PKCS#1 or PKCS#8). Empty: no signing.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The selector published in DNS as <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public string Selector { get; set; } = "pta";

    /// <summary>The signing domain (d=); empty means each message's sender domain, which keeps DMARC aligned.</summary>
    public string? Domain { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PrivateKeyPath);
}
