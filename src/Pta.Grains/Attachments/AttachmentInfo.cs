namespace Pta.Grains.Attachments;

/// <summary>
/// An uploaded file as a broadcast links it: who owns it (<see cref="AttachmentOwner"/>), its name for the mail line and
/// the download, and the type found by content sniffing (never the uploader's word alone).
/// </summary>
/// <param name="AttachmentId"><c>at-</c> and 32 hex digits: 128 random bits, so the public link cannot be guessed.</param>
/// <param name="FileName">The name staff gave it, shown in the mail and offered on download.</param>
/// <param name="ContentType">One of <see cref="AttachmentTypes.Allowed"/>, as sniffed.</param>
/// <param name="Length">Bytes.</param>
/// <param name="UploadedBy">The credential key id that uploaded it.</param>
/// <param name="UploadedAt">When.</param>
/// <param name="Owner"><c>school:{id}</c> or <c>board:{id}</c>: only that school's or board's broadcasts may link it.</param>
public sealed record AttachmentInfo(
    string AttachmentId,
    string Owner,
    string FileName,
    string ContentType,
    long Length,
    string UploadedBy,
    DateTimeOffset UploadedAt);
