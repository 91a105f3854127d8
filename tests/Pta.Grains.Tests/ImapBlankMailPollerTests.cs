using System.Collections.Concurrent;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Pta.Grains.Registration.Inbound;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// The blank-mail poller against a real Dovecot. Each test gets its own server (xunit makes a class instance
/// per test), so every test starts with an empty mailbox; appending over IMAP stands in for the MTA.
/// </summary>
public sealed class ImapBlankMailPollerTests : IAsyncLifetime
{
    private const string Domain = "mail.demo-city.example";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly RecordingHandler _handler = new();
    private readonly RecordingLogger _logger = new();
    private DovecotServer? _server;

    private DovecotServer Server => _server ?? throw new InvalidOperationException("Dovecot was not started.");

    public async Task InitializeAsync() => _server = await DovecotServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_blank_mail_is_handed_over_once_with_its_sender_and_registration_address_and_then_removed()
    {
        // Carriers' mail shows each way the registration address can arrive; au's local part is one the
        // RFCs forbid (consecutive dots, dot before @) but Japanese phones still send from.
        var delivered = Blank("taro@docomo.ne.jp", "m1@docomo.ne.jp", to: $"register+daiichi-es@{Domain}");
        delivered.Headers.Add("Delivered-To", $"register+daiichi-es@{Domain}");
        var original = Blank("hanako..yamada.@ezweb.ne.jp", "m2@ezweb.ne.jp", to: null);
        original.Headers.Add("X-Original-To", $"register+daini-es@{Domain}");
        var toOnly = Blank("jiro@i.softbank.jp", "m3@i.softbank.jp", to: $"register+daiichi-jhs@{Domain}");
        foreach (var message in new[] { delivered, original, toOnly })
        {
            await Server.AppendAsync(message);
        }

        using var poller = Poller();
        Assert.Equal(3, await poller.PollOnceAsync(Timeout()));

        Assert.Equal(
            [
                ("taro@docomo.ne.jp", $"register+daiichi-es@{Domain}", "m1@docomo.ne.jp"),
                ("hanako..yamada.@ezweb.ne.jp", $"register+daini-es@{Domain}", "m2@ezweb.ne.jp"),
                ("jiro@i.softbank.jp", $"register+daiichi-jhs@{Domain}", "m3@i.softbank.jp"),
            ],
            _handler.Calls.Select(m => (m.SenderAddress, m.RecipientAddress, m.MessageId)));
        Assert.All(_handler.Calls, m => Assert.InRange(m.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal(0, await Server.CountAsync());

        // A second poll on the same connection finds nothing and hands nothing over again.
        Assert.Equal(0, await poller.PollOnceAsync(Timeout()));
        Assert.Equal(3, _handler.Calls.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mail_the_handler_cannot_take_now_stays_and_is_handed_over_again(bool throws)
    {
        _handler.Next.Enqueue(_ => throws ? throw new InvalidOperationException("grain unavailable") : BlankMailDisposition.RetryLater);
        await Server.AppendAsync(Blank("taro@docomo.ne.jp", "retry@docomo.ne.jp"));
        using var poller = Poller();

        Assert.Equal(1, await poller.PollOnceAsync(Timeout()));
        Assert.Equal(1, await Server.CountAsync());

        Assert.Equal(1, await poller.PollOnceAsync(Timeout()));
        Assert.Equal(["retry@docomo.ne.jp", "retry@docomo.ne.jp"], _handler.Calls.Select(m => m.MessageId));
        Assert.Equal(0, await Server.CountAsync());
    }

    [Fact]
    public async Task A_mail_without_a_sender_is_rejected_and_removed_without_calling_the_handler()
    {
        var message = Blank("taro@docomo.ne.jp", "nofrom@example.invalid");
        message.Headers.RemoveAll(HeaderId.From);
        await Server.AppendAsync(message);
        using var poller = Poller();

        Assert.Equal(1, await poller.PollOnceAsync(Timeout()));

        Assert.Empty(_handler.Calls);
        Assert.Equal(0, await Server.CountAsync());
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("no usable sender", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bounces_and_auto_replies_are_rejected_so_no_reply_can_start_a_mail_loop()
    {
        var autoReply = Blank("taro@docomo.ne.jp", "vacation@docomo.ne.jp");
        autoReply.Headers.Add("Auto-Submitted", "auto-replied");
        var bounce = Blank("MAILER-DAEMON@docomo.ne.jp", "bounce@docomo.ne.jp");
        bounce.Headers.Add("Return-Path", "<>");
        await Server.AppendAsync(autoReply);
        await Server.AppendAsync(bounce);
        using var poller = Poller();

        Assert.Equal(2, await poller.PollOnceAsync(Timeout()));

        Assert.Empty(_handler.Calls);
        Assert.Equal(0, await Server.CountAsync());
    }

    [Fact]
    public async Task An_oversized_mail_is_rejected_by_its_size_without_calling_the_handler()
    {
        var message = Blank("taro@docomo.ne.jp", "big@docomo.ne.jp");
        message.Body = new TextPart("plain") { Text = new string('x', 100 * 1024) };
        await Server.AppendAsync(message);
        using var poller = Poller();

        Assert.Equal(1, await poller.PollOnceAsync(Timeout()));

        Assert.Empty(_handler.Calls);
        Assert.Equal(0, await Server.CountAsync());
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("byte limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_is_logged_and_retried_without_stopping_the_poller()
    {
        await Server.AppendAsync(Blank("taro@docomo.ne.jp", "kept@docomo.ne.jp"));
        using var poller = Poller(password: "wrong");
        await Assert.ThrowsAsync<AuthenticationException>(() => poller.PollOnceAsync(Timeout()));

        // Polls every second; after a failure the wait doubles (2 s, 4 s, ...), so two failures come within the bound.
        await poller.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Exception is AuthenticationException) >= 2, "two failed polls logged");
        Assert.False(poller.ExecuteTask!.IsCompleted, "the poller stopped after a failed login");

        await poller.StopAsync(CancellationToken.None);
        Assert.True(poller.ExecuteTask.IsCompletedSuccessfully);
        Assert.Empty(_handler.Calls);
        Assert.Equal(1, await Server.CountAsync());
    }

    [Fact]
    public async Task A_started_poller_takes_mails_delivered_while_it_runs_on_its_kept_connection()
    {
        using var poller = Poller();
        await poller.StartAsync(CancellationToken.None);
        try
        {
            await Server.AppendAsync(Blank("taro@docomo.ne.jp", "first@docomo.ne.jp"));
            await WaitUntilAsync(() => _handler.Calls.Count >= 1, "first mail handed over");
            await Server.AppendAsync(Blank("hanako@ezweb.ne.jp", "second@ezweb.ne.jp"));
            await WaitUntilAsync(() => _handler.Calls.Count >= 2, "second mail handed over");
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["first@docomo.ne.jp", "second@ezweb.ne.jp"], _handler.Calls.Select(m => m.MessageId));
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private ImapBlankMailPoller Poller(string? password = null) => new(
        Options.Create(new ImapOptions
        {
            Enabled = true,
            Host = Server.Host,
            Port = Server.Port,
            UserName = Server.UserName,
            Password = password ?? Server.Password,
            PollSeconds = 1,
            TimeoutSeconds = 10,
        }),
        _handler,
        _logger);

    /// <summary>A blank mail as a phone sends it: addresses, a Message-ID, no subject, an empty body.</summary>
    private static MimeMessage Blank(string from, string messageId, string? to = $"register+daiichi-es@{Domain}")
    {
        var message = new MimeMessage { MessageId = messageId, Body = new TextPart("plain") { Text = "" } };
        // Raw header: MailboxAddress would refuse the carriers' non-RFC addresses.
        message.Headers.Replace(HeaderId.From, $"<{from}>");
        if (to is not null)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        return message;
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Bound).Token;

    private static async Task WaitUntilAsync(Func<bool> condition, string phase)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Bound.TotalSeconds} s waiting for: {phase}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Records every mail; answers Processed unless a test queued other answers.</summary>
    private sealed class RecordingHandler : IBlankMailHandler
    {
        private readonly ConcurrentQueue<BlankMail> _calls = new();

        public ConcurrentQueue<Func<BlankMail, BlankMailDisposition>> Next { get; } = new();

        public IReadOnlyList<BlankMail> Calls => [.. _calls];

        public Task<BlankMailDisposition> HandleAsync(BlankMail mail, CancellationToken cancellationToken)
        {
            _calls.Enqueue(mail);
            return Task.FromResult(Next.TryDequeue(out var answer) ? answer(mail) : BlankMailDisposition.Processed);
        }
    }

    private sealed class RecordingLogger : ILogger<ImapBlankMailPoller>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries => [.. _entries];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
