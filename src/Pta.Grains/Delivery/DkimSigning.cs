using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Pta.Grains.Delivery;

/// <summary>
/// Signs composed messages with DKIM (relaxed/relaxed, rsa-sha256) when <see cref="DkimOptions"/> names a key. One
/// signer per signing domain, built once: the key is read and parsed once per silo, not per message. The signature
/// covers From, To, Subject, Date and Message-ID, so it is computed per recipient.
/// </summary>
public sealed class DkimSigning(IOptions<DkimOptions> options)
{
    private static readonly HeaderId[] SignedHeaders = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];
    private readonly ConcurrentDictionary<string, DkimSigner> _signers = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => options.Value.IsConfigured;

    /// <summary>Adds a DKIM-Signature header for the message's sender domain (or the configured one); no-op when off.</summary>
    public void Sign(MimeMessage message, string senderDomain)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return;
        }

        var domain = string.IsNullOrWhiteSpace(settings.Domain) ? senderDomain : settings.Domain;
        var signer = _signers.GetOrAdd(domain, d => new DkimSigner(settings.PrivateKeyPath!, d, settings.Selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        });

        // DKIM signs the bytes as they will be sent: fix the transfer encodings first (ours are 7-bit already).
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, SignedHeaders);
    }
}
