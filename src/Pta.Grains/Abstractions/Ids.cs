using System.Security.Cryptography;
using System.Text;

namespace Pta.Grains.Abstractions;

/// <summary>
/// Identifier rules. Ids appear in URLs, grain keys and Message-IDs, so they are restricted to
/// lower-case letters, digits and hyphens, starting with a letter. That keeps every Message-ID a valid
/// dot-atom without escaping, and it keeps Orleans' ADO.NET storage from colliding two ids: it stores a
/// string key that parses as hexadecimal as a number, so "0a" and "a" would share a row; with a leading
/// letter and lower case only, no two valid ids parse to the same number or Guid.
/// </summary>
public static class Ids
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength }
        && char.IsAsciiLetterLower(id[0])
        && id.All(c => IsLowerOrDigit(c) || c == '-');

    private static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    /// <summary>
    /// The broadcast id for a school's Idempotency-Key. Deriving the id from the key makes every retry of one
    /// request land on the same grain, where single activation serialises them: no separate key table to race on.
    /// </summary>
    public static string BroadcastId(string schoolId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{schoolId}\n{idempotencyKey}"));
        return "bc-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    /// <summary>
    /// The id of a school's PTA: one PTA per school for now, so it is derived from the school id and needs no
    /// lookup table. The prefix keeps it a valid id (it starts with a letter) and apart from school ids.
    /// </summary>
    public static string PtaId(string schoolId) => $"pta-{schoolId}";

    /// <summary>The school a PTA id belongs to, or null when the id is not a PTA id of a valid school id.</summary>
    public static string? SchoolOfPta(string? ptaId) =>
        ptaId is not null && ptaId.StartsWith("pta-", StringComparison.Ordinal) && IsValid(ptaId[4..]) ? ptaId[4..] : null;

    /// <summary>A new random id with a prefix (<c>gd</c> guardian, <c>ch</c> child, <c>rt</c> registration ticket).</summary>
    public static string New(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";

    /// <summary>
    /// The key address owner grains had before the keyed one (<c>Guardians.AddressOwners</c>): a plain hash, which
    /// anyone with a dump can confirm by guessing the address. Only read, so a database upgraded in place keeps its owners.
    /// </summary>
    public static string AddressKey(string normalizedAddress) =>
        "ad-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedAddress.ToLowerInvariant())));

    /// <summary>The key of one shard of a broadcast.</summary>
    public static string ShardKey(string broadcastId, int shardIndex) => $"{broadcastId}-s{shardIndex}";

    /// <summary>
    /// The household (guardian id) of a recipient key <c>guardian-slot</c>: a guardian's two broadcast addresses are
    /// one household, so either confirms for both.
    /// </summary>
    public static string HouseholdOf(string recipientKey)
    {
        ArgumentNullException.ThrowIfNull(recipientKey);
        var length = HouseholdLength(recipientKey);
        return length == recipientKey.Length ? recipientKey : recipientKey[..length];
    }

    /// <summary>How many leading characters of a recipient key are its household: <see cref="HouseholdOf"/> without a new string.</summary>
    public static int HouseholdLength(ReadOnlySpan<char> recipientKey)
    {
        var dash = recipientKey.LastIndexOf('-');
        return dash > 0 && dash < recipientKey.Length - 1 && recipientKey[(dash + 1)..].IndexOfAnyExceptInRange('0', '9') < 0
            ? dash
            : recipientKey.Length;
    }
}
