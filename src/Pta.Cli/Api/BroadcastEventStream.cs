using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Pta.Cli.Api;

/// <summary>
/// Reads <c>GET /api/v1/broadcasts/{id}/events</c> (server-sent events) until the broadcast is over. The gateway ends
/// each stream after two minutes and tells when to reconnect (the event's <c>retry</c>): the reader reconnects, so a
/// watch lasts as long as the broadcast does, and a 404 on any connection ends it with the gateway's problem.
/// </summary>
internal static class BroadcastEventStream
{
    /// <summary>The event type the gateway pushes (BroadcastEventsApi.EventType).</summary>
    public const string ProgressEvent = "progress";

    /// <summary>The wait before reconnecting when the gateway named none.</summary>
    public static readonly TimeSpan DefaultReconnect = TimeSpan.FromSeconds(3);

    public static async IAsyncEnumerable<LiveProgress> ReadAsync(
        GatewayClient client, string broadcastId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var path = $"/api/v1/broadcasts/{Uri.EscapeDataString(broadcastId)}/events";
        while (true)
        {
            TimeSpan reconnect;
            using (var response = await client.OpenAsync(path, "text/event-stream", cancellationToken))
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var parser = SseParser.Create(stream);
                await foreach (var item in parser.EnumerateAsync(cancellationToken))
                {
                    if (item.EventType != ProgressEvent)
                    {
                        continue;
                    }

                    var progress = Parse(item.Data);
                    yield return progress;
                    if (progress.IsOver)
                    {
                        yield break;
                    }
                }

                reconnect = parser.ReconnectionInterval > TimeSpan.Zero && parser.ReconnectionInterval != Timeout.InfiniteTimeSpan
                    ? parser.ReconnectionInterval
                    : DefaultReconnect;
            }

            await Task.Delay(reconnect, cancellationToken);
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
