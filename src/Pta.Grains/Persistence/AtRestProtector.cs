using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pta.Grains.Persistence;

/// <summary>
/// Seals what we store in PostgreSQL so that a dump or a backup shows no guardian address: AES-256-GCM with a
/// random 96-bit nonce, authenticated, under a key that lives in configuration, not in the database.
/// </summary>
/// <remarks>
/// <para>
/// A sealed value is <c>A7 01 kk | nonce (12) | ciphertext | tag (16)</c>: a marker byte, the format version and the
/// id of the key that sealed it, so several keys can be readable while one writes (rotation). 0xA7 is never the
/// first byte of what we stored before sealing existed: addresses are ASCII, and Orleans' binary format starts
/// with a field header whose wire-type bits 101 are unassigned. So an old row is told apart by its first bytes and
/// read as it is, which is what lets an existing database be upgraded in place (<see cref="IsSealed"/>).
/// </para>
/// <para>
/// Hot path (the audience of a million-recipient broadcast is sealed row by row): one <see cref="AesGcm"/> per key and
/// thread, because an instance is not safe for concurrent use on Linux, and no allocation but the result.
/// Random nonces stay safe for about 2^32 seals per key (NIST SP 800-38D); docs/operations.md says when to rotate.
/// </para>
/// </remarks>
public sealed class AtRestProtector : IDisposable
{
    /// <summary>The first byte of every sealed value.</summary>
    public const byte Marker = 0xA7;

    /// <summary>The second byte: the layout of what follows.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes a sealed value has beyond its plaintext.</summary>
    public const int Overhead = HeaderLength + NonceLength + TagLength;

    private const int HeaderLength = 3;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int StackLimit = 512;
    private const int NoncesPerRefill = 256;

    // Nonces come from the system's CSPRNG in blocks: one call per 256 seals instead of one per seal, which measured
    // as most of a seal's cost on a loaded machine (SealBenchmarks). Each nonce is still used once.
    [ThreadStatic]
    private static byte[]? _nonces;

    [ThreadStatic]
    private static int _nonceOffset;

    private readonly FrozenDictionary<byte, ThreadLocal<AesGcm>> _ciphers;

    public AtRestProtector(IOptions<AtRestOptions> options)
        : this(options?.Value.DecodeKeys() ?? throw new ArgumentNullException(nameof(options)), options.Value.ResolveActiveKeyId())
    {
    }

    /// <param name="keys">Every readable key by id (1–255), each 32 bytes.</param>
    /// <param name="activeKeyId">The key that seals new values.</param>
    public AtRestProtector(IReadOnlyDictionary<byte, byte[]> keys, byte activeKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"The active key {activeKeyId} is not among the keys.", nameof(activeKeyId));
        }

        foreach (var (id, key) in keys)
        {
            if (key.Length != 32)
            {
                throw new ArgumentException($"Key {id} has {key.Length} bytes; AES-256 needs 32.", nameof(keys));
            }
        }

        _ciphers = keys.ToFrozenDictionary(k => k.Key, k =>
        {
            var key = k.Value.ToArray();
            return new ThreadLocal<AesGcm>(() => new AesGcm(key, TagLength), trackAllValues: true);
        });
        ActiveKeyId = activeKeyId;
    }

    /// <summary>The id of the key new values are sealed with.</summary>
    public byte ActiveKeyId { get; }

    /// <summary>Whether <paramref name="stored"/> is a sealed value (of any key) rather than something stored before sealing.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> stored) =>
        stored.Length >= Overhead && stored[0] == Marker && stored[1] == FormatVersion;

    /// <summary>The id of the key that sealed <paramref name="stored"/>, or null when it is not sealed.</summary>
    public static byte? KeyIdOf(ReadOnlySpan<byte> stored) => IsSealed(stored) ? stored[2] : null;

    /// <summary>Seals <paramref name="plaintext"/> with the active key and a fresh random nonce.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedValue = new byte[Overhead + plaintext.Length];
        sealedValue[0] = Marker;
        sealedValue[1] = FormatVersion;
        sealedValue[2] = ActiveKeyId;
        var nonce = sealedValue.AsSpan(HeaderLength, NonceLength);
        NextNonce(nonce);
        var header = sealedValue.AsSpan(0, HeaderLength);
        _ciphers[ActiveKeyId].Value!.Encrypt(
            nonce, plaintext, sealedValue.AsSpan(HeaderLength + NonceLength, plaintext.Length), sealedValue.AsSpan(sealedValue.Length - TagLength), header);
        return sealedValue;
    }

    /// <summary>The plaintext of a sealed value.</summary>
    /// <exception cref="CryptographicException">
    /// Not a sealed value, sealed with a key that is not configured, or changed since it was sealed.
    /// </exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue)
    {
        var plaintext = new byte[PlaintextLength(sealedValue)];
        Open(sealedValue, plaintext);
        return plaintext;
    }

    /// <summary>Seals a string as UTF-8: an address column's value.</summary>
    public byte[] SealText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return Seal(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>
    /// The string a column holds: opened when sealed, taken as UTF-8 as it is when it was stored before sealing
    /// existed (an upgraded database). Sealed values that do not open throw; they are never taken as plaintext.
    /// </summary>
    public string OpenText(ReadOnlySpan<byte> stored)
    {
        if (!IsSealed(stored))
        {
            return Encoding.UTF8.GetString(stored);
        }

        var length = PlaintextLength(stored);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Open(stored, buffer[..length]);
            return Encoding.UTF8.GetString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values)
        {
            foreach (var instance in cipher.Values)
            {
                instance.Dispose();
            }

            cipher.Dispose();
        }
    }

    private static void NextNonce(Span<byte> nonce)
    {
        if (_nonces is null || _nonceOffset == _nonces.Length)
        {
            _nonces ??= new byte[NonceLength * NoncesPerRefill];
            RandomNumberGenerator.Fill(_nonces);
            _nonceOffset = 0;
        }

        _nonces.AsSpan(_nonceOffset, NonceLength).CopyTo(nonce);
        _nonceOffset += NonceLength;
    }

    private static int PlaintextLength(ReadOnlySpan<byte> sealedValue) =>
        IsSealed(sealedValue) ? sealedValue.Length - Overhead : throw new CryptographicException("The value is not sealed (no A7 01 header).");

    private void Open(ReadOnlySpan<byte> sealedValue, Span<byte> plaintext)
    {
        var keyId = sealedValue[2];
        if (!_ciphers.TryGetValue(keyId, out var cipher))
        {
            throw new CryptographicException(
                $"The value was sealed with key {keyId}, which is not among {AtRestOptions.Section}:Keys; add that key back (see docs/operations.md, key rotation).");
        }

        cipher.Value!.Decrypt(
            sealedValue.Slice(HeaderLength, NonceLength),
            sealedValue[(HeaderLength + NonceLength)..^TagLength],
            sealedValue[^TagLength..],
            plaintext,
            sealedValue[..HeaderLength]);
    }
}
