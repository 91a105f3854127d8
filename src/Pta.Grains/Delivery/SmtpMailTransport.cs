using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pta.Grains.Delivery;

/// <summary>
/// Hot path: sends through a pool of long-lived MailKit connections to the configured relay.
/// Connections are opened on demand with TCP_NODELAY (MailKit leaves Nagle on, which costs a
/// delayed-ACK wait per pipelined command), reused across messages and broadcasts, and dropped after
/// any error so a broken session is never reused.
/// </summary>
public sealed partial class SmtpMailTransport : IMailTransport, IAsyncDisposable
{
    private readonly SmtpOptions _options;
    private readonly ILogger<SmtpMailTransport> _logger;
    private readonly LanePool<PooledConnection> _pool;

    public SmtpMailTransport(IOptions<SmtpOptions> options, ILogger<SmtpMailTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        // Each slot starts empty (null) and is connected on first use; urgent mail gets the next free slot first.
        _pool = new LanePool<PooledConnection>(_options.Connections, Enum.GetValues<SendLane>().Length);
    }

    public async ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, SendLane lane, CancellationToken cancellationToken)
    {
        var connection = await _pool.RentAsync((int)lane, cancellationToken);
        try
        {
            connection ??= await ConnectAsync(cancellationToken);
            var reply = await connection.Client.SendAsync(message, sender, [recipient], cancellationToken);
            connection.Sent++;
            if (connection.Sent >= _options.MessagesPerConnection)
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
            LogConnectionFailure(_logger, _options.Host, ex.GetType().Name, ex.Message);
            await CloseAsync(connection);
            connection = null;
            return new SendResult(DeliveryStatus.Deferred, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    private async Task<PooledConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            await socket.ConnectAsync(_options.Host!, _options.Port, timeout.Token);
            var client = new SmtpClient
            {
                Timeout = _options.TimeoutSeconds * 1000,
                LocalDomain = _options.HeloName,
            };
            await client.ConnectAsync(socket, _options.Host!, _options.Port, SecureSocketOptions.None, cancellationToken);

            // With SIZE advertised, MailKit serialises every message once just to count its bytes for MAIL FROM, then
            // again to send it. Broadcast mail is small (the body is capped at 20,000 characters), and a server that
            // refuses a size still says so after DATA, so the declaration is not worth a second rendering per recipient.
            client.Capabilities &= ~SmtpCapabilities.Size;
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
        foreach (var connection in _pool.TakeFree())
        {
            await CloseAsync(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP connection to {Host} failed ({Kind}): {Reason}")]
    private static partial void LogConnectionFailure(ILogger logger, string? host, string kind, string reason);

    private sealed class PooledConnection(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;

        public int Sent { get; set; }
    }
}
