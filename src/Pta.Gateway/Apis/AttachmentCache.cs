using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Pta.Grains.Attachments;

namespace Pta.Gateway.Apis;

/// <summary>
/// The download path. After a city-wide alert, guardians' phones open the same few links within minutes; files never
/// change once stored, so each gateway keeps recent ones in memory (bounded by <see cref="MaxCachedBytes"/>) and reads
/// a file from the store once however many phones ask for it at the same moment.
/// </summary>
public sealed class AttachmentCache(IAttachmentStore store) : IDisposable
{
    public const long MaxCachedBytes = 256L * 1024 * 1024;

    private static readonly TimeSpan KeepUnused = TimeSpan.FromMinutes(30);

    private readonly MemoryCache _files = new(new MemoryCacheOptions { SizeLimit = MaxCachedBytes });
    private readonly ConcurrentDictionary<string, Lazy<Task<(AttachmentInfo Info, byte[] Content)?>>> _loading = new(StringComparer.Ordinal);

    public async Task<(AttachmentInfo Info, byte[] Content)?> ReadAsync(string attachmentId, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(attachmentId, out (AttachmentInfo Info, byte[] Content) cached))
        {
            return cached;
        }

        var load = _loading.GetOrAdd(attachmentId, id => new Lazy<Task<(AttachmentInfo, byte[])?>>(() => LoadAsync(id)));
        try
        {
            return await load.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            // Later callers find the file in the cache; a failed load is tried afresh by the next one.
            _loading.TryRemove(KeyValuePair.Create(attachmentId, load));
        }
    }

    private async Task<(AttachmentInfo Info, byte[] Content)?> LoadAsync(string attachmentId)
    {
        // Not the first caller's token: the other callers wait on the same load.
        var file = await store.ReadAsync(attachmentId, CancellationToken.None);
        if (file is { } found)
        {
            _files.Set(attachmentId, found, new MemoryCacheEntryOptions { Size = found.Content.Length + 1024, SlidingExpiration = KeepUnused });
        }

        return file;
    }

    public void Dispose() => _files.Dispose();
}
