using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pta.Grains.Registration;

namespace Pta.Grains.Confirmation;

/// <summary>
/// Hot path (once per message of a broadcast that asks for read confirmation, and once per click): signs and checks
/// the personal link <c>{PublicBaseUrl}/c/{token}</c>. The token is self-contained (the broadcast it confirms, the
/// recipient key, the expiry, and a 96-bit HMAC-SHA256 tag), so any gateway checks a click without a database or grain
/// call. The key is derived from <c>Pta:Links:SigningKey</c> for this purpose only, so every silo and gateway of a
/// cluster agrees on it and no self-service token ever passes as a confirmation token.
/// </summary>
/// <remarks>
/// 96 bits of tag: a forger must guess online, one request per guess, against 2^96 possibilities; shorter tags keep the
/// URL on one line of a phone's mail view, which matters more to 100,000 guardians than the 32 more bits would.
/// </remarks>
public sealed class ConfirmationLinks
{
    /// <summary>The route segment the gateway serves the links under.</summary>
    public const string PathSegment = "c";

    private const string KeyPurpose = "confirmation-link/v1";
    private const int TagBytes = 12;

    /// <summary>Longer input is not a token this class made; checked before decoding anything.</summary>
    private const int MaxTokenChars = 4 * ((ConfirmationTokenFormat.MaxBytes + TagBytes + 2) / 3);

    private readonly byte[] _key;
    private readonly byte[] _urlPrefix;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public ConfirmationLinks(LinkSigner signer, IOptions<GuardianLinkOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        _key = signer.DeriveKey(KeyPurpose);
        _lifetime = options.Value.ConfirmationLinkLifetime;
        _time = time;
        UrlPrefix = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/{PathSegment}/";
        _urlPrefix = Encoding.UTF8.GetBytes(UrlPrefix);
    }

    /// <summary>Every link starts with this: <c>{PublicBaseUrl}/c/</c>.</summary>
    public string UrlPrefix { get; }

    /// <summary>The most UTF-8 bytes <see cref="WriteUrl"/> writes.</summary>
    public int MaxUrlBytes => _urlPrefix.Length + MaxTokenChars;

    /// <summary>
    /// When links sent from now on, for a broadcast accepted at <paramref name="acceptedAt"/>, stop working: the
    /// lifetime counts from the send, so a scheduled broadcast's links live as long as any other's; never from before
    /// its acceptance (a clock behind the one that accepted it).
    /// </summary>
    public DateTimeOffset ExpiryFor(DateTimeOffset acceptedAt)
    {
        var now = _time.GetUtcNow();
        return (now > acceptedAt ? now : acceptedAt) + _lifetime;
    }

    /// <summary>The token for one recipient of a broadcast (URL-safe, no padding).</summary>
    public string Token(string broadcastId, string recipientKey, DateTimeOffset expiresAt)
    {
        Span<byte> url = stackalloc byte[MaxUrlBytes];
        var length = WriteUrl(url, broadcastId, recipientKey, expiresAt);
        return Encoding.ASCII.GetString(url[_urlPrefix.Length..length]);
    }

    /// <summary>The whole link for one recipient.</summary>
    public string Url(string broadcastId, string recipientKey, DateTimeOffset expiresAt) =>
        UrlPrefix + Token(broadcastId, recipientKey, expiresAt);

    /// <summary>Writes the link as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxUrlBytes"/>); returns its length.</summary>
    public int WriteUrl(Span<byte> destination, string broadcastId, string recipientKey, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(broadcastId);
        ArgumentNullException.ThrowIfNull(recipientKey);
        Span<byte> signed = stackalloc byte[ConfirmationTokenFormat.MaxBytes + TagBytes];
        var expiry = (uint)Math.Clamp(expiresAt.ToUnixTimeSeconds(), 0, uint.MaxValue);
        var payload = ConfirmationTokenFormat.Write(signed, expiry, broadcastId, recipientKey);
        Sign(signed[..payload], signed.Slice(payload, TagBytes));

        _urlPrefix.CopyTo(destination);
        var written = Base64Url.EncodeToUtf8(signed[..(payload + TagBytes)], destination[_urlPrefix.Length..]);
        return _urlPrefix.Length + written;
    }

    /// <summary>Checks a token from a click: the signature first, then the content, then the expiry against now.</summary>
    public ConfirmationClaim Check(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenChars)
        {
            return new(ConfirmationLinkStatus.Invalid);
        }

        Span<byte> signed = stackalloc byte[MaxTokenChars];
        if (Base64Url.DecodeFromChars(token, signed, out var consumed, out var length) != System.Buffers.OperationStatus.Done
            || consumed != token.Length || length <= TagBytes)
        {
            return new(ConfirmationLinkStatus.Invalid);
        }

        var payload = signed[..(length - TagBytes)];
        Span<byte> expected = stackalloc byte[TagBytes];
        Sign(payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, signed.Slice(payload.Length, TagBytes))
            || !ConfirmationTokenFormat.TryRead(payload, out var expiry, out var broadcastId, out var recipientKey))
        {
            return new(ConfirmationLinkStatus.Invalid);
        }

        return _time.GetUtcNow().ToUnixTimeSeconds() > expiry
            ? new(ConfirmationLinkStatus.Expired)
            : new(ConfirmationLinkStatus.Valid, broadcastId, recipientKey);
    }

    private void Sign(ReadOnlySpan<byte> payload, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        mac[..TagBytes].CopyTo(tag);
    }
}
