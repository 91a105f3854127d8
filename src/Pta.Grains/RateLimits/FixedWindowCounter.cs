namespace Pta.Grains.RateLimits;

/// <summary>
/// Fixed windows per key, in memory, on a <see cref="TimeProvider"/>: the limiter for low-volume paths in processes
/// without ASP.NET Core's rate limiters (a silo polling the registration mailbox). A key's window starts with its
/// first request, as in the gateway's partitions.
/// </summary>
public sealed class FixedWindowCounter(WindowLimit limit, TimeProvider time)
{
    private const int MinPruneThreshold = 4096;

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _pruneAt = MinPruneThreshold;

    /// <summary>Takes a permit from <paramref name="key"/>'s window; false (and nothing taken) when it has none left.</summary>
    public bool TryTake(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_windows.TryGetValue(key, out var window) || now - window.Start >= limit.Window)
            {
                window = new Window(now, 0);
            }

            if (window.Taken >= limit.PermitLimit)
            {
                return false;
            }

            _windows[key] = window with { Taken = window.Taken + 1 };
            PruneIfLarge(now);
            return true;
        }
    }

    /// <summary>Whether <paramref name="key"/>'s window has a permit left; takes nothing.</summary>
    public bool HasPermit(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return !_windows.TryGetValue(key, out var window) || now - window.Start >= limit.Window || window.Taken < limit.PermitLimit;
        }
    }

    /// <summary>Forgets ended windows whenever the table has doubled since the last time: memory follows the live keys.</summary>
    private void PruneIfLarge(DateTimeOffset now)
    {
        if (_windows.Count <= _pruneAt)
        {
            return;
        }

        foreach (var (key, window) in _windows)
        {
            if (now - window.Start >= limit.Window)
            {
                _windows.Remove(key);
            }
        }

        _pruneAt = Math.Max(MinPruneThreshold, 2 * _windows.Count);
    }

    private readonly record struct Window(DateTimeOffset Start, int Taken);
}
