using Npgsql;

namespace Pta.Grains.Persistence;

/// <summary>
/// Retries a PostgreSQL write through a short outage (a crash and its recovery, a failover) instead of giving up
/// on the first broken connection. Used where giving up costs more than waiting: a shard that cannot record the
/// outcomes of messages it already sent would send them again after a restart.
/// </summary>
public static class TransientRetry
{
    /// <summary>Waits between attempts: quick at first, then every few seconds while the database is away.</summary>
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    /// <summary>Runs <paramref name="write"/> until it succeeds, fails for a reason other than an outage, or <paramref name="giveUpAfter"/> has passed.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> write, TimeSpan giveUpAfter, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetUtcNow() + giveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await write(cancellationToken);
                return;
            }
            catch (Exception ex) when (IsOutage(ex) && time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Delays[Math.Min(attempt, Delays.Length - 1)], time, cancellationToken);
            }
        }
    }

    /// <summary>True for a lost or refused connection, a server shutting down or in recovery, a timeout, also when wrapped.</summary>
    public static bool IsOutage(Exception exception) =>
        exception is TimeoutException || IsDatabaseOutage(exception) || (exception.InnerException is { } inner && IsOutage(inner));

    /// <summary>True when PostgreSQL itself is unreachable (a grain-call timeout alone is not: it may be a silo going away).</summary>
    public static bool IsDatabaseOutage(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is PostgresException { SqlState: "57P01" or "57P02" or "57P03" },
        // A grain call may hand the database's exception back as Orleans' fallback type, which keeps only its name.
        Orleans.Serialization.UnavailableExceptionFallbackException fallback => fallback.ExceptionType?.StartsWith("Npgsql.", StringComparison.Ordinal) == true,
        _ => exception.InnerException is { } inner && IsDatabaseOutage(inner),
    };
}
