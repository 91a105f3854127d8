using System.Diagnostics.Metrics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;
using Pta.Grains.Telemetry;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: sends through pools of long-lived MailKit connections: one to the configured relay and one per direct
/// carrier route (<see cref="SmtpOptions.Routes"/>). Connections are opened on demand with TCP_NODELAY (MailKit
/// leaves Nagle on, which costs a delayed-ACK wait per pipelined command), reused across messages and broadcasts,
/// closed after the route's messages per connection, and dropped after any error so a broken session is never reused.
/// </summary>
public sealed partial class SmtpMailTransport : IMailTransport, IAsyncDisposable
{
    private readonly SmtpOptions _options;
    private readonly ILogger<SmtpMailTransport> _logger;
    private readonly Egress _relay;
    private readonly Dictionary<Carrier, Egress> _routes = [];
    private readonly PtaMetrics? _metrics;
    private int _connectionsOpened;

    public SmtpMailTransport(
        IOptions<SmtpOptions> options, ILogger<SmtpMailTransport> logger, IOptions<ShapingOptions>? shaping = null, PtaMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        var lanes = Enum.GetValues<SendLane>().Length;

        // Each slot starts empty (null) and is connected on first use; urgent mail gets the next free slot first.
        _relay = new Egress(_options.Host!, _options.Port, _options.MessagesPerConnection, new LanePool<PooledConnection>(_options.Connections, lanes));
        foreach (var (name, route) in _options.Routes)
        {
            if (!Enum.TryParse<Carrier>(name, ignoreCase: true, out var carrier))
            {
                throw new InvalidOperationException($"Pta:Smtp:Routes:{name}: not a carrier (Docomo, Au, Softbank, Ymobile, Gmail, Other).");
            }

            // A carrier counts recipients per session; with one personal message per transaction that is messages per connection.
            var perSession = shaping?.Value.Carriers.GetValueOrDefault(carrier.ToString())?.RecipientsPerSession ?? 100;
            _routes[carrier] = new Egress(route.Host, route.Port, Math.Min(_options.MessagesPerConnection, perSession),
                new LanePool<PooledConnection>(route.Connections, lanes));
        }

        ObservePools(metrics);
    }

    /// <summary>
    /// Connections in use and senders waiting for one, per egress ("relay" or the carrier of a direct route) and lane:
    /// waiters that stay up mean the pool, not the server, is what holds sending back.
    /// </summary>
    private void ObservePools(PtaMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        var egresses = _routes.Select(r => (Name: CarrierNames.KeyOf(r.Key), Egress: r.Value)).Prepend((Name: "relay", Egress: _relay)).ToArray();
        var lanes = Enum.GetValues<SendLane>();
        metrics.Meter.CreateObservableGauge("pta.smtp.connections.in_use",
            () => egresses.Select(e => new Measurement<int>(e.Egress.Pool.InUse, new KeyValuePair<string, object?>("route", e.Name))),
            "{connection}", "Pooled SMTP connections rented out to a send, per egress route");
        metrics.Meter.CreateObservableGauge("pta.smtp.lane.waiters",
            () => egresses.SelectMany(e => lanes.Select(lane => new Measurement<int>(e.Egress.Pool.Waiting((int)lane),
                new KeyValuePair<string, object?>("route", e.Name), new KeyValuePair<string, object?>("lane", lane.ToString().ToLowerInvariant())))),
            "{send}", "Sends waiting for a pooled SMTP connection, per egress route and lane");
    }

    /// <summary>SMTP connections opened since start, for tests and metrics.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    public async ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, SendLane lane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var egress = _routes.Count > 0 && _routes.TryGetValue(GuardianAddress.Classify(recipient.Address), out var route) ? route : _relay;
        var connection = await egress.Pool.RentAsync((int)lane, cancellationToken);
        try
        {
            connection ??= await ConnectAsync(egress, cancellationToken);
            var reply = await connection.Client.SendAsync(message, sender, [recipient], cancellationToken);
            connection.Sent++;
            if (connection.Sent >= egress.MessagesPerConnection)
            {
                await CloseAsync(connection);
                connection = null;
            }

            return SendResult.Sent(reply);
        }
        catch (SmtpCommandException ex)
        {
            await CloseAsync(connection);
            connection = null;
            return SmtpReplyClassifier.Classify(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
                                       or SslHandshakeException or TimeoutException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Resets, timeouts and broken sessions all mean "slow down and try again later".
            LogConnectionFailure(_logger, egress.Host, ex.GetType().Name, ex.Message);
            await CloseAsync(connection);
            connection = null;
            return new SendResult(DeliveryStatus.Deferred, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            egress.Pool.Return(connection);
        }
    }

    private async Task<PooledConnection> ConnectAsync(Egress egress, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            await socket.ConnectAsync(egress.Host, egress.Port, timeout.Token);
            var client = new SmtpClient
            {
                Timeout = _options.TimeoutSeconds * 1000,
                LocalDomain = _options.HeloName,
            };
            await client.ConnectAsync(socket, egress.Host, egress.Port, SecureSocketOptions.None, cancellationToken);

            // With SIZE advertised, MailKit serialises every message once just to count its bytes for MAIL FROM, then
            // again to send it. Broadcast mail is small (the body is capped at 20,000 characters), and a server that
            // refuses a size still says so after DATA, so the declaration is not worth a second rendering per recipient.
            client.Capabilities &= ~SmtpCapabilities.Size;
            Interlocked.Increment(ref _connectionsOpened);
            _metrics?.ConnectionOpened();
            return new PooledConnection(client);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task CloseAsync(PooledConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        try
        {
            if (connection.Client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Client.DisconnectAsync(quit: true, quick.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or OperationCanceledException
                                       or ServiceNotConnectedException or SmtpCommandException)
        {
            // The session is already broken; closing it is all that is left to do.
        }
        finally
        {
            connection.Client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var egress in _routes.Values.Append(_relay))
        {
            foreach (var connection in egress.Pool.TakeFree())
            {
                await CloseAsync(connection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP connection to {Host} failed ({Kind}): {Reason}")]
    private static partial void LogConnectionFailure(ILogger logger, string? host, string kind, string reason);

    private sealed record Egress(string Host, int Port, int MessagesPerConnection, LanePool<PooledConnection> Pool);

    private sealed class PooledConnection(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;

        public int Sent { get; set; }
    }
}
