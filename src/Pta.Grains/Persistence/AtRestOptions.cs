using System.Globalization;

namespace Pta.Grains.Persistence;

/// <summary>
/// The keys that keep guardian addresses unreadable in PostgreSQL (section <c>Pta:AtRest</c>). They live in the
/// silos' configuration (environment variables, a secrets file), never in the database, so a dump or a stolen
/// backup holds only sealed bytes. Every silo of a cluster needs the same values.
/// </summary>
/// <remarks>
/// Several data keys may be readable at once and one writes, so a key is rotated without downtime: add the new key,
/// make it active, run the <c>reseal</c> command, then drop the old one (docs/operations.md). The lookup key is
/// separate because it is never rotated: it names the grains that find a guardian by address, and a new lookup key
/// would lose every such link.
/// </remarks>
public sealed class AtRestOptions
{
    public const string Section = "Pta:AtRest";

    /// <summary>AES-256 keys for sealing: ids 1–255 (the byte stored in front of every sealed value) → base64 of 32 bytes.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key that seals new values; may be left out when there is exactly one key.</summary>
    public int? ActiveKeyId { get; set; }

    /// <summary>Base64 of at least 32 random bytes: the HMAC key that turns an address into a lookup key.</summary>
    public string? LookupKey { get; set; }

    /// <summary>Whether anything at all is configured (the embedded default makes keys up when nothing is).</summary>
    public bool IsConfigured => Keys.Count > 0 || !string.IsNullOrWhiteSpace(LookupKey);

    /// <summary>The data keys by id, decoded; throws with the setting's name when one is malformed.</summary>
    public IReadOnlyDictionary<byte, byte[]> DecodeKeys()
    {
        if (Problems().FirstOrDefault() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return Keys.ToDictionary(k => byte.Parse(k.Key, NumberStyles.None, CultureInfo.InvariantCulture), k => Decode(k.Value)!);
    }

    /// <summary>The lookup key, decoded; throws with the setting's name when it is missing or short.</summary>
    public byte[] DecodeLookupKey() =>
        Decode(LookupKey) is { Length: >= 32 } key ? key : throw new InvalidOperationException($"{Section}:LookupKey must be base64 of at least 32 bytes.");

    /// <summary>The id of the key that seals; assumes <see cref="Problems"/> found nothing.</summary>
    public byte ResolveActiveKeyId() =>
        (byte)(ActiveKeyId ?? int.Parse(Keys.Keys.Single(), NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>What is wrong, each as a sentence naming the setting; empty when the options can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (Keys.Count == 0)
        {
            yield return $"{Section}:Keys is required in the PostgreSql profile: at least one key, e.g. Pta__AtRest__Keys__1=<base64 of 32 random bytes>, " +
                         "the same on every silo (guardian addresses are encrypted at rest with it).";
        }

        foreach (var (id, value) in Keys)
        {
            if (!byte.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var keyId) || keyId == 0)
            {
                yield return $"{Section}:Keys:{id}: a key id is a whole number from 1 to 255.";
            }
            else if (Decode(value) is not { Length: 32 })
            {
                yield return $"{Section}:Keys:{id} must be base64 of exactly 32 bytes (an AES-256 key).";
            }
        }

        if (ActiveKeyId is { } active ? !Keys.ContainsKey(active.ToString(CultureInfo.InvariantCulture)) : Keys.Count > 1)
        {
            yield return $"{Section}:ActiveKeyId must name one of {Section}:Keys (it may be left out only when there is one key).";
        }

        if (Decode(LookupKey) is not { Length: >= 32 })
        {
            yield return $"{Section}:LookupKey (base64 of at least 32 random bytes, the same on every silo, never rotated) is required in the PostgreSql profile.";
        }
    }

    private static byte[]? Decode(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
