using System.Collections.Concurrent;

namespace Pta.Grains.Attachments;

/// <summary>The embedded default's attachments: gone when the process stops, like the rest of its state.</summary>
public sealed class InMemoryAttachmentStore : IAttachmentStore
{
    private readonly ConcurrentDictionary<string, (AttachmentInfo Info, byte[] Content)> _files = new(StringComparer.Ordinal);

    public Task SaveAsync(AttachmentInfo info, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        return _files.TryAdd(info.AttachmentId, (info, content.ToArray()))
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Attachment {info.AttachmentId} exists already.");
    }

    public Task<AttachmentInfo?> FindAsync(string attachmentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_files.TryGetValue(attachmentId, out var file) ? file.Info : null);

    public Task<(AttachmentInfo Info, byte[] Content)?> ReadAsync(string attachmentId, CancellationToken cancellationToken = default) =>
        Task.FromResult<(AttachmentInfo, byte[])?>(_files.TryGetValue(attachmentId, out var file) ? file : null);
}
