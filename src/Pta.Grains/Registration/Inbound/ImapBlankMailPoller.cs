using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

using Pta.Grains.Abstractions;

namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// Takes 空メール (blank registration mails) out of the IMAP mailbox the MTA delivers them into and hands
/// each to the <see cref="IBlankMailHandler"/>. Polling rather than IDLE: it survives restarts of either
/// side without extra state, and a registration reply a few seconds later is fine.
/// </summary>
/// <remarks>
/// At-least-once: a mail leaves the mailbox only after a decision (Processed or Rejected); it is flagged
/// \Deleted right after that decision and expunged at the end of the poll. RetryLater, a handler exception
/// or a broken connection leave it untouched, so the next poll hands it over again. Only sizes and a few
/// headers are downloaded, never a body.
/// </remarks>
public sealed partial class ImapBlankMailPoller : BackgroundService
{
    private const int MaxBackoffSeconds = 300;

    private static readonly string[] SenderHeaders = ["From", "Return-Path", "Sender"];
    private static readonly string[] RecipientHeaders = ["Delivered-To", "X-Original-To", "To"];
    // Older docomo and au addresses break RFC 5322 (consecutive dots, a dot before the @) and are still
    // in use; the strict default parser would turn those guardians away.
    private static readonly ParserOptions LooseAddresses = new() { AddressParserComplianceMode = RfcComplianceMode.Looser };
    private static readonly HeaderSet WantedHeaders = new([.. SenderHeaders, .. RecipientHeaders, "Message-ID", "Auto-Submitted"]);

    private readonly ImapOptions _options;
    private readonly IBlankMailHandler _handler;
    private readonly ILogger<ImapBlankMailPoller> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImapClient? _client;
    private IMailFolder? _folder;

    public ImapBlankMailPoller(IOptions<ImapOptions> options, IBlankMailHandler handler, ILogger<ImapBlankMailPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>
    /// One poll: takes up to <see cref="ImapOptions.MaxPerPoll"/> mails, oldest first, and returns how many
    /// it decided on or handed to the handler (including those left for a retry). Throws when the server
    /// cannot be reached or refuses the login; the next call then starts on a fresh connection.
    /// </summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var folder = await OpenMailboxAsync(cancellationToken);
            return await DrainAsync(folder, cancellationToken);
        }
        catch
        {
            // Whatever broke, the session's state is unknown now: never reuse it.
            await DropConnectionAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Never let an exception out: a faulted BackgroundService stops the whole host (the silo).
                failures++;
                LogPollFailed(_logger, ex, _options.Host, _options.Mailbox, failures, NextDelay(failures));
            }

            await Task.Delay(NextDelay(failures), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await DropConnectionAsync();
    }

    public override void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
        base.Dispose();
    }

    private async Task<IMailFolder> OpenMailboxAsync(CancellationToken cancellationToken)
    {
        if (_client is not null && _folder is not null)
        {
            try
            {
                // NOOP proves the reused session still works (servers log idle clients out) and lets the
                // server announce mails delivered since the last poll.
                await _client.NoOpAsync(cancellationToken);
                return _folder;
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                await DropConnectionAsync();
            }
        }

        var client = new ImapClient { Timeout = _options.TimeoutSeconds * 1000 };
        try
        {
            var host = _options.Host ?? throw new InvalidOperationException($"{ImapOptions.Section}:Host is not set.");
            var security = _options.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
            await client.ConnectAsync(host, _options.Port, security, cancellationToken);
            await client.AuthenticateAsync(_options.UserName ?? "", _options.Password ?? "", cancellationToken);
            var folder = await client.GetFolderAsync(_options.Mailbox, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            (_client, _folder) = (client, folder);
            return folder;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<int> DrainAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var all = await folder.SearchAsync(SearchQuery.All, cancellationToken);
        if (all.Count == 0)
        {
            return 0;
        }

        // Flags and sizes first: an oversized mail is judged by its size alone, without downloading it.
        var batch = all.OrderBy(uid => uid.Id).Take(_options.MaxPerPoll).ToList();
        var sizes = await folder.FetchAsync(batch, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Size), cancellationToken);
        var removed = new List<UniqueId>();
        var small = new List<UniqueId>();
        var examined = 0;
        foreach (var summary in sizes)
        {
            if (summary.Flags is { } flags && flags.HasFlag(MessageFlags.Deleted))
            {
                // Flagged by a poll that broke before its expunge: decided on already, only the expunge is missing.
                removed.Add(summary.UniqueId);
            }
            else if (summary.Size is { } size && size > _options.MaxMessageBytes)
            {
                examined++;
                LogOversized(_logger, summary.UniqueId.Id, size, _options.MaxMessageBytes);
                await RemoveAsync(folder, summary.UniqueId, removed, cancellationToken);
            }
            else
            {
                small.Add(summary.UniqueId);
            }
        }

        if (small.Count > 0)
        {
            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate) { Headers = WantedHeaders };
            foreach (var summary in await folder.FetchAsync(small, request, cancellationToken))
            {
                examined++;
                if (await DecideAsync(summary, cancellationToken) != BlankMailDisposition.RetryLater)
                {
                    await RemoveAsync(folder, summary.UniqueId, removed, cancellationToken);
                }
            }
        }

        if (removed.Count > 0)
        {
            // UID EXPUNGE removes exactly what this poll flagged; plain EXPUNGE (no UIDPLUS) removes every
            // \Deleted mail, which in a mailbox only we work on is the same set.
            if (_client!.Capabilities.HasFlag(ImapCapabilities.UidPlus))
            {
                await folder.ExpungeAsync(removed, cancellationToken);
            }
            else
            {
                await folder.ExpungeAsync(cancellationToken);
            }
        }

        return examined;
    }

    private async Task<BlankMailDisposition> DecideAsync(IMessageSummary summary, CancellationToken cancellationToken)
    {
        var uid = summary.UniqueId.Id;
        var headers = summary.Headers ?? [];
        var messageId = headers["Message-ID"] is { } rawId ? MimeUtils.ParseMessageId(rawId) : null;

        // Addresses are not logged (they are guardians' personal data); UID and Message-ID identify the mail.
        if (IsAutomatic(headers))
        {
            LogAutomatic(_logger, uid, messageId);
            return BlankMailDisposition.Rejected;
        }

        if (FirstAddress(headers, SenderHeaders) is not { } sender)
        {
            LogNoSender(_logger, uid, messageId);
            return BlankMailDisposition.Rejected;
        }

        var mail = new BlankMail(sender, FirstAddress(headers, RecipientHeaders) ?? "", messageId, summary.InternalDate ?? DateTimeOffset.UtcNow);
        try
        {
            var disposition = await _handler.HandleAsync(mail, cancellationToken);
            LogHandled(_logger, uid, messageId, disposition);
            return disposition;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(_logger, ex, uid, messageId);
            return BlankMailDisposition.RetryLater;
        }
    }

    /// <summary>
    /// Bounces (null Return-Path) and auto-replies (RFC 3834 Auto-Submitted) must not be answered: a
    /// registration reply to a vacation responder or to our own bounced reply would start a mail loop.
    /// </summary>
    private static bool IsAutomatic(HeaderList headers) =>
        headers["Return-Path"]?.Trim() == "<>"
        || (headers["Auto-Submitted"] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase));

    /// <summary>The first mailbox address (with an @) found in the given headers, in order; null if none.</summary>
    private static string? FirstAddress(HeaderList headers, string[] fields)
    {
        foreach (var field in fields)
        {
            foreach (var header in headers.Where(h => h.Field.Equals(field, StringComparison.OrdinalIgnoreCase)))
            {
                if (InternetAddressList.TryParse(LooseAddresses, header.RawValue, out var addresses)
                    && addresses.Mailboxes.FirstOrDefault(m => m.Address.IndexOf('@', StringComparison.Ordinal) > 0) is { } mailbox)
                {
                    return mailbox.Address;
                }

                if (LegacyAddress(header.RawValue) is { } legacy)
                {
                    return legacy;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A pre-2009 docomo/au sender (<c>taro..yamada.@docomo.ne.jp</c>, unquoted, as those phones send it), which
    /// MimeKit's parser refuses in every mode: the text between angle brackets, or the whole value, if the
    /// project's address rules accept it.
    /// </summary>
    private static string? LegacyAddress(byte[] rawValue)
    {
        var text = System.Text.Encoding.ASCII.GetString(rawValue).Trim();
        var open = text.LastIndexOf('<');
        var close = open >= 0 ? text.IndexOf('>', open) : -1;
        var candidate = close > open ? text[(open + 1)..close] : text;
        return GuardianAddress.TryNormalize(candidate, out var normalized, out _) ? normalized : null;
    }

    private static async Task RemoveAsync(IMailFolder folder, UniqueId uid, List<UniqueId> removed, CancellationToken cancellationToken)
    {
        // Flagged at once, so a connection lost later in the poll cannot make this mail be handled again.
        await folder.AddFlagsAsync(uid, MessageFlags.Deleted, silent: true, cancellationToken);
        removed.Add(uid);
    }

    /// <summary>The poll interval; after consecutive failures doubled each time, up to 5 minutes (or the interval).</summary>
    private TimeSpan NextDelay(int failures)
    {
        var seconds = _options.PollSeconds * Math.Pow(2, Math.Min(failures, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(_options.PollSeconds, MaxBackoffSeconds)));
    }

    private async Task DropConnectionAsync()
    {
        var client = _client;
        (_client, _folder) = (null, null);
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(quit: true, quick.Token);
            }
        }
        catch (Exception ex) when (IsConnectionFailure(ex) || ex is OperationCanceledException)
        {
            // The session is already broken; closing it is all that is left to do.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or ImapProtocolException or ImapCommandException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException or FolderNotOpenException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Blank-mail intake over IMAP is disabled (Pta:Inbound:Imap:Enabled)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling IMAP mailbox {Mailbox} on {Host} failed ({Failures} in a row); next attempt in {Delay}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string? host, string mailbox, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blank mail UID {Uid} rejected unread: {Size} bytes is over the {Limit}-byte limit")]
    private static partial void LogOversized(ILogger logger, uint uid, ulong size, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blank mail UID {Uid} (Message-ID {MessageId}) rejected: no usable sender address")]
    private static partial void LogNoSender(ILogger logger, uint uid, string? messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blank mail UID {Uid} (Message-ID {MessageId}) rejected: bounce or auto-reply")]
    private static partial void LogAutomatic(ILogger logger, uint uid, string? messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Blank mail UID {Uid} (Message-ID {MessageId}): {Disposition}")]
    private static partial void LogHandled(ILogger logger, uint uid, string? messageId, BlankMailDisposition disposition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blank mail UID {Uid} (Message-ID {MessageId}): handler failed; left in the mailbox for the next poll")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, uint uid, string? messageId);
}
