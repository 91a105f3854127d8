using System.Buffers.Binary;
using System.Net;

namespace Pta.Gateway.RateLimits;

/// <summary>
/// The per-address partition key of a client: its IPv4 address, or its IPv6 address cut to a prefix (an IPv6 host
/// holds a whole /64 and can change address per request). A number, not a string, so the hot path allocates nothing.
/// </summary>
public static class ClientAddress
{
    /// <summary>
    /// The key: IPv4 (also as IPv4-mapped IPv6, how a dual-stack socket reports it) as its mapped form, IPv6 masked
    /// to <paramref name="ipv6PrefixLength"/> bits. No address (an in-process or Unix-socket connection) is 0.
    /// </summary>
    public static UInt128 Key(IPAddress? address, int ipv6PrefixLength)
    {
        if (address is null)
        {
            return UInt128.Zero;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (written == 4 || address.IsIPv4MappedToIPv6)
        {
            return ((UInt128)0xffff << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[(written - 4)..written]);
        }

        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var prefix = Math.Clamp(ipv6PrefixLength, 1, 128);
        return value & (UInt128.MaxValue << (128 - prefix));
    }
}
