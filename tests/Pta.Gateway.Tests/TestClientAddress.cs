using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Pta.Gateway.Tests;

/// <summary>
/// Test-only: under TestServer every request arrives without a remote address, so all simulated clients would share
/// one. This startup filter, registered only by <see cref="RateLimitFixture"/>, runs first in the pipeline (ahead of
/// routing, hence also for short-circuited routes) and gives a request the address named in its
/// <see cref="Header"/>, as Kestrel would have from the socket.
/// </summary>
public sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
