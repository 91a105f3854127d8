namespace Pta.Grains.Attachments;

/// <summary>
/// Files that broadcasts link to instead of attaching them: a 2 MB PDF in a mail is over SoftBank's 1 MB limit and
/// multiplies by every recipient, a link is a few dozen bytes. PostgreSQL in production (any gateway serves any
/// file), memory in the embedded default. Files are immutable once stored.
/// </summary>
public interface IAttachmentStore
{
    Task SaveAsync(AttachmentInfo info, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The description without the bytes (for a broadcast's ownership check), or null.</summary>
    Task<AttachmentInfo?> FindAsync(string attachmentId, CancellationToken cancellationToken = default);

    /// <summary>The description and the bytes, or null.</summary>
    Task<(AttachmentInfo Info, byte[] Content)?> ReadAsync(string attachmentId, CancellationToken cancellationToken = default);
}
