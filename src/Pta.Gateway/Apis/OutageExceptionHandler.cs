using Microsoft.AspNetCore.Diagnostics;

namespace Pta.Gateway.Apis;

/// <summary>
/// Turns "the database or the cluster cannot be reached right now" into 503 with Retry-After instead of a 500,
/// wherever in a request it surfaces (authentication reads a credential grain, a lookup activates a school grain,
/// a submission commits its audience). The caller's retry is safe: nothing is acknowledged that was not committed,
/// and a submission carries its Idempotency-Key. Programming errors stay 500s.
/// </summary>
public sealed partial class OutageExceptionHandler(ILogger<OutageExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>How long a client should wait: about what PostgreSQL takes to recover after a crash.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!IsOutage(exception))
        {
            return false;
        }

        LogOutage(logger, exception.GetType().Name, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        await Problems.Unavailable(httpContext, "The service cannot reach its database or cluster right now. Retry shortly; nothing was accepted.",
            RetryAfterSeconds).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>True when the exception, or one it wraps, says the database or the cluster is unreachable right now.</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Net.Sockets.SocketException or Orleans.Runtime.SiloUnavailableException
                    or Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                || Pta.Grains.Persistence.TransientRetry.IsOutage(e)
                || (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsOutage)))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503: a dependency is unreachable ({ExceptionType}) during {Path}")]
    private static partial void LogOutage(ILogger logger, string exceptionType, string path);
}
