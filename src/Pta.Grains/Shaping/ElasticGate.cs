namespace Pta.Grains.Shaping;

/// <summary>
/// A counting gate whose limit may change between entries (a carrier's per-silo share shrinks when a silo joins).
/// Lowering the limit never interrupts holders; it only makes newcomers wait until enough have left.
/// </summary>
internal sealed class ElasticGate
{
    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _inside;

    public int Inside
    {
        get
        {
            lock (_lock)
            {
                return _inside;
            }
        }
    }

    public async ValueTask<IDisposable> EnterAsync(Func<int> limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_inside < Math.Max(1, limit()))
                {
                    _inside++;
                    return new Lease(this);
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Enqueue(waiter);
            }

            // Woken by a leaver, or at the latest after a second, when the limit may have grown (a silo left).
            await Task.WhenAny(waiter.Task, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void Leave()
    {
        lock (_lock)
        {
            _inside--;
            while (_waiters.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    break;
                }
            }
        }
    }

    private sealed class Lease(ElasticGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Leave();
            }
        }
    }
}
