using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pta.Grains.Registration;

/// <summary>
/// Signs and checks guardian self-service links: <c>base64url(guardian|expiry).base64url(HMAC-SHA256)</c>.
/// Stateless, so any gateway can check a link without a database read; no password to forget.
/// </summary>
public sealed class LinkSigner
{
    private readonly byte[] _key;
    private readonly GuardianLinkOptions _options;
    private readonly TimeProvider _time;

    public LinkSigner(IOptions<GuardianLinkOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _key = string.IsNullOrEmpty(_options.SigningKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(_options.SigningKey);
        if (_key.Length < 32)
        {
            throw new OptionsValidationException(GuardianLinkOptions.Section, typeof(GuardianLinkOptions), ["Pta:Links:SigningKey must be at least 32 bytes (base64)."]);
        }
    }

    public GuardianLinkOptions Options => _options;

    /// <summary>A self-service token for a guardian, valid for the configured lifetime.</summary>
    public string ManageToken(string guardianId)
    {
        var expires = _time.GetUtcNow().Add(_options.ManageLinkLifetime).ToUnixTimeSeconds();
        var payload = Encoding.UTF8.GetBytes($"m|{guardianId}|{expires.ToString(CultureInfo.InvariantCulture)}");
        return $"{Base64Url(payload)}.{Base64Url(Sign(payload))}";
    }

    /// <summary>The guardian a token speaks for, or null when it is malformed, tampered with or expired.</summary>
    public string? GuardianOf(string? token)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || token.Length > 512)
        {
            return null;
        }

        var payload = FromBase64Url(token[..dot]);
        var signature = FromBase64Url(token[(dot + 1)..]);
        if (payload is null || signature is null || !CryptographicOperations.FixedTimeEquals(Sign(payload), signature))
        {
            return null;
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|');
        if (parts is not ["m", var guardianId, var expiry]
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || _time.GetUtcNow().ToUnixTimeSeconds() > seconds)
        {
            return null;
        }

        return guardianId;
    }

    /// <summary>
    /// The registration ticket id for a blank mail: keyed on its Message-ID, so handling the same mail twice
    /// (at-least-once delivery from the mailbox) yields the same link; keyed with the secret, so it cannot be guessed.
    /// </summary>
    public string TicketIdFor(string messageId) =>
        "rt-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("t|" + messageId)).AsSpan(0, 16));

    /// <summary>
    /// A key for another kind of link, derived from the signing key: every process with the same <c>Pta:Links:SigningKey</c>
    /// derives the same key, and a token signed for one purpose never verifies for another (a self-service token is
    /// no confirmation token and the other way round).
    /// </summary>
    public byte[] DeriveKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("derive|" + purpose));
    }

    public string ManageUrl(string guardianId) => $"{_options.PublicBaseUrl.TrimEnd('/')}/me/{ManageToken(guardianId)}";

    public string RegistrationUrl(string ticketId) => $"{_options.PublicBaseUrl.TrimEnd('/')}/register/{ticketId}";

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(_key, payload).AsSpan(0, 16).ToArray();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
