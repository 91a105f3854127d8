using System.Buffers.Binary;
using System.Text;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Confirmation;

/// <summary>
/// The signed bytes of a confirmation token: version, expiry (Unix seconds), the broadcast it confirms and the recipient
/// key. Ids of the form <c>xx-&lt;hex&gt;</c> (every broadcast, self-registered guardian and imported contact id the
/// engine makes) are packed as their two prefix letters and the hex digits as bytes, and a key's slot suffix
/// (<c>-1</c>) as one byte, so the token, and the URL that carries it, stays short enough for a phone's mailer to show
/// on one line: 34 to 40 bytes here, 62 to 70 characters of base64url with the signature.
/// </summary>
/// <remarks>
/// An id is written as one tag byte and its body: tag <c>0x80 | n</c> is a packed id (two letters, then <c>n</c> bytes
/// of hex), tag <c>0..127</c> the length of an id written as it is (UTF-8). Only bytes whose signature has been checked
/// are ever read, so the reader need not defend against hostile input beyond staying inside the span.
/// </remarks>
internal static class ConfirmationTokenFormat
{
    public const byte Version = 1;

    /// <summary>Version, expiry, two ids at most 127 bytes with their tags, one slot byte.</summary>
    public const int MaxBytes = 1 + 4 + (2 * (1 + 127)) + 1;

    private const byte PackedTag = 0x80;
    private const int MaxPackedBytes = 127;
    private const byte NoSlot = 0;
    private const int MaxSlot = 254;

    /// <summary>Writes the payload; returns its length.</summary>
    /// <exception cref="ArgumentException">An id longer than 127 bytes (ids are at most <see cref="Ids.MaxLength"/>).</exception>
    public static int Write(Span<byte> destination, uint expiresAtUnixSeconds, string broadcastId, string recipientKey)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], expiresAtUnixSeconds);
        var length = 5;
        length += WriteId(destination[length..], broadcastId);
        var (household, slot) = SplitSlot(recipientKey);
        length += WriteId(destination[length..], household);
        destination[length++] = slot;
        return length;
    }

    /// <summary>Reads a payload written by <see cref="Write"/>; false when it is not one (another version, cut short).</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out uint expiresAtUnixSeconds, out string broadcastId, out string recipientKey)
    {
        expiresAtUnixSeconds = 0;
        broadcastId = recipientKey = string.Empty;
        if (payload.Length < 8 || payload[0] != Version)
        {
            return false;
        }

        expiresAtUnixSeconds = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
        var rest = payload[5..];
        if (!TryReadId(ref rest, out broadcastId) || !TryReadId(ref rest, out var household) || rest.Length != 1)
        {
            return false;
        }

        recipientKey = rest[0] == NoSlot ? household : string.Concat(household, "-", (rest[0] - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>
    /// A key <c>guardian-slot</c> as (guardian, slot + 1); any other key whole, with <see cref="NoSlot"/>. Only a slot
    /// that prints back the same (no leading zero) is split off, so every key reads back exactly as it was written.
    /// </summary>
    private static (string Id, byte Slot) SplitSlot(string recipientKey)
    {
        var household = Ids.HouseholdOf(recipientKey);
        if (household.Length == recipientKey.Length)
        {
            return (recipientKey, NoSlot);
        }

        var digits = recipientKey.AsSpan(household.Length + 1);
        return digits.Length <= 3 && (digits.Length == 1 || digits[0] != '0') && int.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture) is var slot and <= MaxSlot
            ? (household, (byte)(slot + 1))
            : (recipientKey, NoSlot);
    }

    private static int WriteId(Span<byte> destination, string id)
    {
        if (IsPackable(id))
        {
            var bytes = (id.Length - 3) / 2;
            destination[0] = (byte)(PackedTag | bytes);
            destination[1] = (byte)id[0];
            destination[2] = (byte)id[1];
            Convert.FromHexString(id.AsSpan(3), destination.Slice(3, bytes), out _, out _);
            return 3 + bytes;
        }

        var length = Encoding.UTF8.GetByteCount(id);
        if (length > MaxPackedBytes)
        {
            throw new ArgumentException($"An id of {length} bytes is too long for a confirmation token.", nameof(id));
        }

        destination[0] = (byte)length;
        Encoding.UTF8.GetBytes(id, destination[1..]);
        return 1 + length;
    }

    private static bool TryReadId(ref ReadOnlySpan<byte> rest, out string id)
    {
        id = string.Empty;
        if (rest.IsEmpty)
        {
            return false;
        }

        var tag = rest[0];
        if ((tag & PackedTag) != 0)
        {
            var bytes = tag & ~PackedTag;
            if (rest.Length < 3 + bytes)
            {
                return false;
            }

            id = string.Create(3 + (2 * bytes), rest.Slice(0, 3 + bytes), static (chars, packed) =>
            {
                chars[0] = (char)packed[1];
                chars[1] = (char)packed[2];
                chars[2] = '-';
                Convert.TryToHexStringLower(packed[3..], chars[3..], out _);
            });
            rest = rest[(3 + bytes)..];
            return true;
        }

        if (rest.Length < 1 + tag)
        {
            return false;
        }

        id = Encoding.UTF8.GetString(rest.Slice(1, tag));
        rest = rest[(1 + tag)..];
        return true;
    }

    /// <summary><c>xx-</c> (two lower-case letters) and an even number of lower-case hex digits, at most 127 bytes' worth.</summary>
    private static bool IsPackable(string id) =>
        id.Length >= 5 && id.Length % 2 == 1 && id.Length - 3 <= 2 * MaxPackedBytes
        && char.IsAsciiLetterLower(id[0]) && char.IsAsciiLetterLower(id[1]) && id[2] == '-'
        && !id.AsSpan(3).ContainsAnyExcept("0123456789abcdef");
}
