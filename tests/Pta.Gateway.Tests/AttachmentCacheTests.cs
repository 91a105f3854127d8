using Pta.Gateway.Apis;
using Pta.Grains.Attachments;

namespace Pta.Gateway.Tests;

/// <summary>The download path's cache: many phones opening the same link at once cost one read of the store.</summary>
public sealed class AttachmentCacheTests
{
    [Fact]
    public async Task Concurrent_first_downloads_read_the_store_once_and_later_ones_not_at_all()
    {
        var store = new CountingStore();
        var info = new AttachmentInfo("at-0123456789abcdef0123456789abcdef", "school:s-1", "a.pdf", AttachmentTypes.Pdf, 3, "k", DateTimeOffset.UnixEpoch);
        await store.SaveAsync(info, new byte[] { 1, 2, 3 });
        using var cache = new AttachmentCache(store);

        var downloads = Enumerable.Range(0, 50).Select(_ => cache.ReadAsync(info.AttachmentId, CancellationToken.None)).ToList();
        store.Release.SetResult();
        var files = await Task.WhenAll(downloads).WaitAsync(TimeSpan.FromSeconds(10));
        var later = await cache.ReadAsync(info.AttachmentId, CancellationToken.None);

        Assert.All(files, f => Assert.Equal(new byte[] { 1, 2, 3 }, f!.Value.Content));
        Assert.Equal(new byte[] { 1, 2, 3 }, later!.Value.Content);
        Assert.Equal(1, store.Reads);
        Assert.Null(await cache.ReadAsync("at-ffffffffffffffffffffffffffffffff", CancellationToken.None));
    }

    /// <summary>The in-memory store, holding every read until released and counting them.</summary>
    private sealed class CountingStore : IAttachmentStore
    {
        private readonly InMemoryAttachmentStore _inner = new();
        private int _reads;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => _reads;

        public Task SaveAsync(AttachmentInfo info, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
            _inner.SaveAsync(info, content, cancellationToken);

        public Task<AttachmentInfo?> FindAsync(string attachmentId, CancellationToken cancellationToken = default) =>
            _inner.FindAsync(attachmentId, cancellationToken);

        public async Task<(AttachmentInfo Info, byte[] Content)?> ReadAsync(string attachmentId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            await Release.Task;
            return await _inner.ReadAsync(attachmentId, cancellationToken);
        }
    }
}
