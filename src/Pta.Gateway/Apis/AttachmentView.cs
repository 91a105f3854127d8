namespace Pta.Gateway.Apis;

/// <summary>An uploaded attachment; <see cref="AttachmentId"/> goes into a broadcast's <c>attachments</c>.</summary>
/// <param name="AttachmentId">The id to name in a broadcast's <c>attachments</c>.</param>
/// <param name="FileName">The name shown in the mail and offered on download.</param>
/// <param name="ContentType">The type found in the content.</param>
/// <param name="Length">Bytes.</param>
/// <param name="UploadedAt">When it was stored.</param>
/// <param name="Url">The public link each mail carries.</param>
public sealed record AttachmentView(string AttachmentId, string FileName, string ContentType, long Length, string Url, DateTimeOffset UploadedAt);
