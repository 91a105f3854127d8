namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: the outcomes one shard has handed to the <see cref="OutcomeRecorder"/> since it last waited for them. A
/// count rather than a task per outcome: a message costs one interlocked increment when handed in and one decrement
/// when its COPY commits, and only the shard's wait (every 100 messages) costs a task.
/// </summary>
public sealed class RecordingGroup
{
    private readonly Lock _gate = new();
    private int _outstanding;
    private Exception? _failure;
    private TaskCompletionSource? _done;

    /// <summary>
    /// Completes once every outcome handed in so far is in the ledger; fails if any could not be written. Ask when no
    /// more are being handed in (the shard's senders have stopped), and start a new group for the next ones.
    /// </summary>
    public Task WhenRecordedAsync()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _outstanding) == 0)
            {
                return _failure is { } failure ? Task.FromException(failure) : Task.CompletedTask;
            }

            return (_done ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    internal void Added() => Interlocked.Increment(ref _outstanding);

    internal void Recorded(Exception? failure)
    {
        if (failure is not null)
        {
            Interlocked.CompareExchange(ref _failure, failure, null);
        }

        if (Interlocked.Decrement(ref _outstanding) > 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_done is { } done)
            {
                _ = _failure is { } first ? done.TrySetException(first) : done.TrySetResult();
            }
        }
    }
}
