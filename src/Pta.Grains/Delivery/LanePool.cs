namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: a fixed set of items (SMTP connections) handed out by lane. A returned item goes to the oldest
/// waiter of the most urgent lane, so an emergency overtakes routine mail already queued on this silo.
/// Items may be null ("not connected yet"); the caller connects lazily. An open item is always handed out before an
/// empty slot: a carrier counts every open connection as a session, so opening a new one while an open one sits idle
/// trips its connection limit (found by the 421 storm test: idle sessions under a pile of empty slots were never
/// reused, and every new connection was refused).
/// </summary>
public sealed class LanePool<T>
    where T : class
{
    private readonly object _gate = new();
    private readonly Stack<T> _idle = new();
    private readonly int _capacity;
    private int _empty;
    private readonly Queue<TaskCompletionSource<T?>>[] _waiters;

    public LanePool(int capacity, int lanes)
    {
        _capacity = capacity;
        _empty = capacity;
        _waiters = [.. Enumerable.Range(0, lanes).Select(_ => new Queue<TaskCompletionSource<T?>>())];
    }

    /// <summary>Waiters per lane, for tests and metrics.</summary>
    public int Waiting(int lane)
    {
        lock (_gate)
        {
            return _waiters[lane].Count(w => !w.Task.IsCompleted);
        }
    }

    /// <summary>Items rented out (connected or about to connect), for metrics.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _capacity - _idle.Count - _empty;
            }
        }
    }

    public ValueTask<T?> RentAsync(int lane, CancellationToken cancellationToken)
    {
        TaskCompletionSource<T?> waiter;
        lock (_gate)
        {
            if (_idle.Count > 0)
            {
                return ValueTask.FromResult<T?>(_idle.Pop());
            }

            if (_empty > 0)
            {
                _empty--;
                return ValueTask.FromResult<T?>(null);
            }

            waiter = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[lane].Enqueue(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled waiter stays in its queue; Return skips it (TrySetResult fails on a cancelled task).
            var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new ValueTask<T?>(waiter.Task);
    }

    /// <summary>Takes every item not rented out (to close them on shutdown).</summary>
    public IReadOnlyList<T> TakeFree()
    {
        lock (_gate)
        {
            var items = _idle.ToList();
            _idle.Clear();
            return items;
        }
    }

    public void Return(T? item)
    {
        lock (_gate)
        {
            foreach (var lane in _waiters)
            {
                while (lane.TryDequeue(out var waiter))
                {
                    if (waiter.TrySetResult(item))
                    {
                        return;
                    }
                }
            }

            if (item is null)
            {
                _empty++;
            }
            else
            {
                _idle.Push(item);
            }
        }
    }
}
