using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// DKIM: a configured key signs every personalised message for its sender's domain, and the message as the SMTP
/// server received it (after MailKit's dot-stuffing and CRLF) verifies with the public key; a changed To does not.
/// </summary>
public sealed class DkimSigningTests : IDisposable
{
    private static readonly BroadcastContent Content = new(
        "bc-dkim0000000000000000000", "daiichi-es@mail.demo-city.example", "第一小学校",
        "【緊急】臨時休校のお知らせ", "本日は台風のため臨時休校とします。\n.\n行頭の点も署名どおりに届きます。",
        BroadcastCategory.Emergency, new DateTimeOffset(2026, 11, 22, 8, 30, 0, TimeSpan.FromHours(9)));

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyFile = Path.GetTempFileName();

    public DkimSigningTests() => File.WriteAllText(_keyFile, _key.ExportPkcs8PrivateKeyPem());

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // subject and sender name written as encoded words only (EncodedWords)
    public async Task Every_message_is_signed_for_the_sender_domain_and_verifies_as_received_and_a_changed_to_fails(bool lookAlikeText)
    {
        var dkim = new DkimSigning(Options.Create(new DkimOptions { PrivateKeyPath = _keyFile, Selector = "pta2026" }));
        var content = lookAlikeText ? Content with { Subject = "=?utf-8?b?: 台風のため臨時休校", SenderName = "=?第一小学校" } : Content;
        var composer = new MessageComposer(content, dkim);
        await using var sink = await SmtpSink.StartAsync();
        var transport = new SmtpMailTransport(
            Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, Connections = 1 }), NullLogger<SmtpMailTransport>.Instance);
        await using (transport)
        {
            foreach (var recipient in new[] { new Recipient("g1-1", "taro@docomo.ne.jp"), new Recipient("g2-1", "hanako@ezweb.ne.jp") })
            {
                var result = await transport.SendAsync(composer.Compose(recipient), composer.Sender, MessageComposer.ToMailbox(recipient), SendLane.Urgent, CancellationToken.None);
                Assert.Equal(DeliveryStatus.Sent, result.Status);
            }
        }

        var received = await sink.WaitForAsync(2, TimeSpan.FromSeconds(30));
        var verifier = new DkimVerifier(new FixedKeyLocator("mail.demo-city.example", "pta2026", PublicKeyFactory.CreateKey(_key.ExportSubjectPublicKeyInfo())));
        foreach (var message in received.Select(m => m.Message))
        {
            var index = message.Headers.IndexOf(HeaderId.DkimSignature);
            Assert.True(index >= 0, "no DKIM-Signature header");
            Assert.Contains("d=mail.demo-city.example", message.Headers[index].Value, StringComparison.Ordinal);
            Assert.Contains("s=pta2026", message.Headers[index].Value, StringComparison.Ordinal);
            Assert.True(await verifier.VerifyAsync(message, message.Headers[index]), "the signature does not verify");

            message.To.Clear();
            message.To.Add(MailboxAddress.Parse("someone.else@docomo.ne.jp"));
            Assert.False(await verifier.VerifyAsync(message, message.Headers[index]), "a changed To still verifies");
        }
    }

    [Fact]
    public void Without_a_key_nothing_is_signed()
    {
        var message = new MessageComposer(Content, new DkimSigning(Options.Create(new DkimOptions()))).Compose(new Recipient("g1-1", "taro@docomo.ne.jp"));

        Assert.Equal(-1, message.Headers.IndexOf(HeaderId.DkimSignature));
    }

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_keyFile);
    }

    /// <summary>The DNS TXT lookup a receiver would make, answered with the test's public key.</summary>
    private sealed class FixedKeyLocator(string domain, string selector, AsymmetricKeyParameter key) : IDkimPublicKeyLocator
    {
        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain1, string selector1, CancellationToken cancellationToken = default) =>
            domain1 == domain && selector1 == selector ? key : throw new InvalidOperationException($"no key for {selector1}._domainkey.{domain1}");

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain1, string selector1, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain1, selector1, cancellationToken));
    }
}
