namespace Pta.Cli.Tests;

/// <summary>
/// Plays a connection lost in the middle of a watch (a gateway restarted, a balancer's idle timeout): the first
/// event stream it passes through breaks with an <see cref="IOException"/> after its first read, as a reset socket
/// does; every other request goes through untouched, over real HTTP.
/// </summary>
public sealed class CutOffEventsHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _eventStreams;

    /// <summary>How many times the CLI opened the event stream.</summary>
    public int EventStreams => Volatile.Read(ref _eventStreams);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.AbsolutePath.EndsWith("/events", StringComparison.Ordinal) != true
            || Interlocked.Increment(ref _eventStreams) != 1)
        {
            return response;
        }

        var original = response.Content;
        var cut = new StreamContent(new BreaksAfterFirstRead(await original.ReadAsStreamAsync(cancellationToken)));
        foreach (var header in original.Headers)
        {
            cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = cut;
        return response;
    }

    private sealed class BreaksAfterFirstRead(Stream inner) : Stream
    {
        private bool _readOnce;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_readOnce)
            {
                throw new IOException("Connection reset by peer (cut off by the test).");
            }

            _readOnce = true;
            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
