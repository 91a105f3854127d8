using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Pta.Cli.Api;

/// <summary>
/// Reads <c>GET /api/v1/broadcasts/{id}/events</c> (server-sent events) until the broadcast is over. The gateway ends
/// each stream after two minutes and tells when to reconnect (the event's <c>retry</c>): the reader reconnects, so a
/// watch lasts as long as the broadcast does. A stream cut off midway (a gateway restarted, a balancer's idle timeout)
/// and a gateway briefly unreachable are reconnected too, up to <see cref="MaxFailedConnects"/> failed connects in a
/// row; a 404 on any connection ends the watch with the gateway's problem.
/// </summary>
internal static class BroadcastEventStream
{
    /// <summary>The event type the gateway pushes (BroadcastEventsApi.EventType).</summary>
    public const string ProgressEvent = "progress";

    /// <summary>Failed connects in a row before the watch gives up: about 15 s of a gateway not answering.</summary>
    public const int MaxFailedConnects = 5;

    /// <summary>The wait before reconnecting when the gateway named none.</summary>
    public static readonly TimeSpan DefaultReconnect = TimeSpan.FromSeconds(3);

    public static async IAsyncEnumerable<LiveProgress> ReadAsync(
        GatewayClient client, string broadcastId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var path = $"/api/v1/broadcasts/{Uri.EscapeDataString(broadcastId)}/events";
        var failedConnects = 0;
        while (true)
        {
            var reconnect = DefaultReconnect;
            var response = await ConnectAsync(client, path, ++failedConnects, cancellationToken);
            if (response is not null)
            {
                failedConnects = 0;
                using (response)
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    var parser = SseParser.Create(stream);
                    await using var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    while (await NextAsync(events))
                    {
                        if (events.Current.EventType != ProgressEvent)
                        {
                            continue;
                        }

                        var progress = Parse(events.Current.Data);
                        yield return progress;
                        if (progress.IsOver)
                        {
                            yield break;
                        }
                    }

                    if (parser.ReconnectionInterval > TimeSpan.Zero && parser.ReconnectionInterval != Timeout.InfiniteTimeSpan)
                    {
                        reconnect = parser.ReconnectionInterval;
                    }
                }
            }

            await Task.Delay(reconnect, cancellationToken);
        }
    }

    /// <summary>The stream, or null when the gateway could not be reached and this was not yet the last try.</summary>
    private static async Task<HttpResponseMessage?> ConnectAsync(GatewayClient client, string path, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await client.OpenAsync(path, "text/event-stream", cancellationToken);
        }
        catch (CliFailure failure) when (failure.ExitCode == ExitCodes.Unreachable && attempt < MaxFailedConnects)
        {
            return null;
        }
    }

    /// <summary>The next event; false at the end of the stream, also when the connection broke off (then reconnect).</summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return false;
        }
    }

    private static LiveProgress Parse(string data)
    {
        try
        {
            return JsonSerializer.Deserialize<LiveProgress>(data, GatewayClient.Json) ?? throw new JsonException("empty event");
        }
        catch (JsonException ex)
        {
            throw new CliFailure(ExitCodes.ApiProblem, $"The gateway sent a progress event the CLI cannot read: {ex.Message}", inner: ex);
        }
    }
}
