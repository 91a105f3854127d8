namespace Pta.Grains.Shaping;

/// <summary>
/// The arithmetic of one carrier's cluster-wide shaping, apart from the grain so it can be tested on any clock:
/// a token bucket whose refill rate is scaled by a factor that deferrals halve (down to a tenth) and quiet periods
/// restore, and a pause that a burst of unknown-user replies starts. A storm of refusals is one congestion signal,
/// not hundreds: the many sends in flight when a carrier starts refusing all fail together, and halving once per
/// refusal would floor the rate at once and take minutes to climb back (measured: efficiency 0.63–0.74 in the
/// shaping benchmark when every refusal halved and each quiet 10 s restored a quarter).
/// </summary>
public sealed class CarrierBucket
{
    /// <summary>Each quiet step without a deferral raises the factor by a quarter, back to 1.</summary>
    public static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(5);

    /// <summary>Deferrals within this time of the last halving count as the same signal.</summary>
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(2);
    public const double MinimumFactor = 0.1;

    private readonly Queue<DateTimeOffset> _unknownUsers = new();
    private double _tokens = double.NaN;
    private DateTimeOffset _last;
    private DateTimeOffset _lastSlowDown = DateTimeOffset.MinValue;
    private DateTimeOffset _lastHalving = DateTimeOffset.MinValue;

    /// <summary>The share of the configured rate in use: 1, or less after deferrals.</summary>
    public double Factor { get; private set; } = 1;

    public DateTimeOffset? PausedUntil { get; private set; }

    public int RecentUnknownUsers => _unknownUsers.Count;

    /// <summary>Takes up to <paramref name="wanted"/> permits at <paramref name="now"/>; none while paused (the bucket still fills).</summary>
    public int Acquire(DateTimeOffset now, int wanted, double messagesPerSecond, int burst)
    {
        Recover(now);
        _tokens = double.IsNaN(_tokens) ? burst : Math.Min(burst, _tokens + (now - _last).TotalSeconds * messagesPerSecond * Factor);
        _last = now;
        if (IsPaused(now))
        {
            return 0;
        }

        var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
        _tokens -= granted;
        return granted;
    }

    /// <summary>
    /// A deferral (421, 4xx, reset, timeout): halve the rate, down to a tenth, at most once per <see cref="CoolDown"/>;
    /// every deferral restarts the quiet period recovery waits for.
    /// </summary>
    public void SlowDown(DateTimeOffset now)
    {
        Recover(now);
        if (now - _lastHalving >= CoolDown)
        {
            Factor = Math.Max(MinimumFactor, Factor / 2);
            _lastHalving = now;
        }

        _lastSlowDown = now;
    }

    /// <summary>An unknown-user reply; returns true when it completes a burst and starts a pause.</summary>
    public bool UnknownUser(DateTimeOffset now, int burst, TimeSpan window, TimeSpan pause)
    {
        _unknownUsers.Enqueue(now);
        while (_unknownUsers.Count > 0 && now - _unknownUsers.Peek() > window)
        {
            _unknownUsers.Dequeue();
        }

        if (_unknownUsers.Count < burst || IsPaused(now))
        {
            return false;
        }

        PausedUntil = now + pause;
        _unknownUsers.Clear();
        return true;
    }

    public bool IsPaused(DateTimeOffset now) => PausedUntil > now;

    /// <summary>Takes a pause decided elsewhere (the cluster's rate grain); a later end than the current one wins.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        if (PausedUntil is not { } current || until > current)
        {
            PausedUntil = until;
        }
    }

    /// <summary>Brings the factor up to date: each whole quiet step since the last deferral adds a quarter.</summary>
    public void Recover(DateTimeOffset now)
    {
        while (Factor < 1 && now - _lastSlowDown >= RecoveryStep)
        {
            Factor = Math.Min(1, Factor * 1.25);
            _lastSlowDown += RecoveryStep;
        }
    }
}
