using System.Text;
using MimeKit.Encodings;
using MimeKit.IO;
using Pta.Grains.Confirmation;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: the base64 body of a broadcast that asks for read confirmation, whose only personal part is the link on
/// its last line. Base64 with MIME line breaks turns every 57 bytes into one 76-character line on its own, so the
/// encoded text of the body up to the last whole 57-byte line before the link is the same in every message: it is
/// encoded once per broadcast and shared, and a message encodes only the rest (under 57 bytes of the fixed text, the
/// instruction and its link: about 250 bytes), not the whole 2 KB body.
/// </summary>
internal sealed class ConfirmationBody
{
    /// <summary>The instruction before the link; the link goes on a line of its own, so phones' mailers make it tappable.</summary>
    public const string Instruction = "受信確認のため、次のリンクを開いてください。";

    /// <summary>Bytes per encoded line: MimeKit's base64 encoder writes 76 characters a line.</summary>
    internal const int BytesPerLine = 57;

    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly byte[] _sharedEncoded;
    private readonly byte[] _fixedTail;
    private readonly ConfirmationLinks _links;
    private readonly string _broadcastId;
    private readonly DateTimeOffset _expiresAt;

    /// <param name="body">The broadcast's body, CRLF line endings.</param>
    /// <param name="links">Signs the links.</param>
    /// <param name="broadcastId">The broadcast the links confirm (the original one for a follow-up).</param>
    /// <param name="expiresAt">When the links stop working.</param>
    public ConfirmationBody(string body, ConfirmationLinks links, string broadcastId, DateTimeOffset expiresAt)
    {
        _links = links;
        _broadcastId = broadcastId;
        _expiresAt = expiresAt;
        var text = Encoding.UTF8.GetBytes($"{body.TrimEnd('\r', '\n')}\r\n\r\n{Instruction}\r\n");
        var shared = text.Length / BytesPerLine * BytesPerLine;
        _sharedEncoded = Encode(text, 0, shared).ToArray();
        _fixedTail = text[shared..];
    }

    /// <summary>The encoded body for one recipient: the shared lines, then the lines with its own link.</summary>
    public Stream EncodedFor(string recipientKey)
    {
        var tail = new byte[_fixedTail.Length + _links.MaxUrlBytes + LineEnd.Length];
        _fixedTail.CopyTo(tail, 0);
        var length = _fixedTail.Length;
        length += _links.WriteUrl(tail.AsSpan(length), _broadcastId, recipientKey, _expiresAt);
        LineEnd.CopyTo(tail, length);
        length += LineEnd.Length;

        var chained = new ChainedStream();
        chained.Add(new MemoryStream(_sharedEncoded, writable: false));
        chained.Add(Encode(tail, 0, length));
        return chained;
    }

    /// <summary>MIME base64 (76-character lines) of a slice, as MimeKit writes it.</summary>
    internal static MemoryStream Encode(byte[] raw, int start, int length)
    {
        var encoder = new Base64Encoder();
        var output = new byte[encoder.EstimateOutputLength(length)];
        var written = encoder.Flush(raw, start, length, output);
        return new MemoryStream(output, 0, written, writable: false);
    }
}
