using System.Diagnostics;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Pta.Testing;

/// <summary>
/// A real IMAP server process: a throwaway Dovecot (Debian's dovecot-imapd) on a free loopback port, with
/// its own configuration, one passwd-file user and Maildir storage in a folder of this test run.
/// </summary>
/// <remarks>
/// As root, Dovecot keeps its usual privilege separation: the package's <c>dovecot</c>/<c>dovenull</c>
/// users run its internal and login processes, and the mail user is <c>nobody</c> (Dovecot refuses
/// mail access as root), which creates its Maildir under a world-writable folder. As any other user,
/// every *_user setting and the mail uid/gid are that user (Dovecot's rootless mode). Chrooting is off in
/// both cases: an unprivileged user cannot chroot, and a test server gains nothing from it.
/// </remarks>
public sealed class DovecotServer : IAsyncDisposable
{
    private const string DefaultBinary = "/usr/sbin/dovecot";
    private const string UserNameValue = "pta";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output;

    private DovecotServer(Process process, string directory, StringBuilder output, int port, string password)
    {
        _process = process;
        _directory = directory;
        _output = output;
        Port = port;
        Password = password;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string UserName => UserNameValue;

    public string Password { get; }

    public static async Task<DovecotServer> StartAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Dovecot runs on Linux only.");
        }

        var binary = Environment.GetEnvironmentVariable("PTA_DOVECOT") is { Length: > 0 } configured ? configured : DefaultBinary;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"Dovecot not found at {binary}: run the tests with `bash tests/run-all.sh`, which installs dovecot-imapd.");
        }

        // Short name: Dovecot's unix sockets live under base_dir, and a socket path must stay under 108 bytes.
        var directory = Path.Combine(TestEnvironment.ScratchDirectory, "dovecot-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);

        // Dovecot's unprivileged processes (when root: dovecot for auth, nobody for mail) must reach these
        // files whatever the umask; the mail user creates its home and Maildir under mail/.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(directory, "mail"));
        File.SetUnixFileMode(Path.Combine(directory, "mail"), (UnixFileMode)0b111_111_111);
        var users = await ProcessUsersAsync();
        var password = Guid.NewGuid().ToString("N");
        var passwd = Path.Combine(directory, "users");
        await File.WriteAllTextAsync(passwd, $"{UserNameValue}:{{PLAIN}}{password}:{users.MailUid}:{users.MailGid}::{directory}/mail/{UserNameValue}\n");
        File.SetUnixFileMode(passwd, (UnixFileMode)0b110_100_100);

        // FreePort's port can be taken by someone else before Dovecot binds it: then try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            await File.WriteAllTextAsync(Path.Combine(directory, "dovecot.conf"), Config(directory, port, users));
            File.Delete(Path.Combine(directory, "dovecot.log"));
            var server = Launch(binary, directory, port, password);
            var problem = await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(15));
            if (problem is null)
            {
                return server;
            }

            var log = server.Log();
            await server.DisposeAsync();
            if (attempt < 3 && log.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"Dovecot did not accept an IMAP login on 127.0.0.1:{port} ({problem}). Its log:\n{log}");
        }
    }

    /// <summary>Delivers a message into INBOX, as the MTA's local delivery would.</summary>
    public async Task AppendAsync(MimeMessage message)
    {
        using var client = await ConnectAsync(CancellationToken.None);
        await client.Inbox.AppendAsync(new AppendRequest(message));
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>Messages in INBOX, including any flagged \Deleted but not yet expunged.</summary>
    public async Task<int> CountAsync()
    {
        using var client = await ConnectAsync(CancellationToken.None);
        var status = await client.GetFolderAsync("INBOX");
        await status.StatusAsync(StatusItems.Count);
        await client.DisconnectAsync(quit: true);
        return status.Count;
    }

    /// <summary>Dovecot's own log (and what it printed before its log was set up).</summary>
    public string Log()
    {
        var path = Path.Combine(_directory, "dovecot.log");
        var log = File.Exists(path) ? File.ReadAllText(path) : "";
        lock (_output)
        {
            return log + _output;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM lets the master stop its children.
        await ProcessShutdown.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private static DovecotServer Launch(string binary, string directory, int port, string password)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-F", "-c", Path.Combine(directory, "dovecot.conf") })
        {
            start.ArgumentList.Add(arg);
        }

        // Fatal configuration errors are printed before Dovecot's log is set up: keep them for the error message.
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DovecotServer(process, directory, output, port, password);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// The users Dovecot's processes run as. Root: the package's dovecot/dovenull (Dovecot's defaults) and
    /// nobody for mail access. Anyone else: that user for everything, Dovecot's rootless mode.
    /// </summary>
    private static async Task<(string Settings, string MailUid, string MailGid)> ProcessUsersAsync()
    {
        if (await IdAsync("-u") == "0")
        {
            foreach (var required in new[] { "dovecot", "dovenull" })
            {
                _ = await IdAsync("-u", required)
                    ?? throw new InvalidOperationException($"System user '{required}' is missing: Dovecot run as root needs the users the dovecot-core package creates.");
            }

            return ("", await IdAsync("-u", "nobody") ?? "65534", await IdAsync("-g", "nobody") ?? "65534");
        }

        var user = await IdAsync("-un") ?? throw new InvalidOperationException("The current user has no name in the user database; Dovecot needs one.");
        var group = await IdAsync("-gn") ?? throw new InvalidOperationException("The current group has no name in the group database; Dovecot needs one.");
        var settings = $"""
            default_internal_user = {user}
            default_internal_group = {group}
            default_login_user = {user}
            """;
        return (settings, (await IdAsync("-u"))!, (await IdAsync("-g"))!);
    }

    private static string Config(string directory, int port, (string Settings, string MailUid, string MailGid) users) => $$"""
        # Throwaway test server: IMAP only, loopback only, plaintext logins, no TLS; everything in {{directory}}.
        protocols = imap
        listen = 127.0.0.1
        base_dir = {{directory}}/run
        state_dir = {{directory}}/state
        log_path = {{directory}}/dovecot.log
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        # Answer a wrong password at once (default: 2 s later), so tests of failed logins stay quick.
        auth_failure_delay = 0
        first_valid_uid = 1
        first_valid_gid = 0
        mail_location = maildir:~/Maildir
        {{users.Settings}}
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{directory}}/users
        }
        userdb {
          driver = passwd-file
          args = username_format=%u {{directory}}/users
        }
        service imap-login {
          chroot =
          inet_listener imap {
            port = {{port}}
          }
          inet_listener imaps {
            port = 0
          }
        }
        # mode 0 switches off the per-IP penalty after failed logins (up to 15 s a try), which would slow
        # down tests of wrong passwords.
        service anvil {
          chroot =
          unix_listener anvil-auth-penalty {
            mode = 0
          }
        }
        service ipc {
          chroot =
        }
        service old-stats {
          chroot =
        }
        """;

    private static async Task<string?> IdAsync(params string[] args)
    {
        var start = new ProcessStartInfo("id") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run `id`.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && output.Trim() is { Length: > 0 } value ? value : null;
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = 10_000 };
        try
        {
            await client.ConnectAsync(Host, Port, SecureSocketOptions.None, cancellationToken);
            await client.AuthenticateAsync(UserName, Password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Null once a login works (so the auth process is up too), else why not.</summary>
    private async Task<string?> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return $"it exited with code {_process.ExitCode}";
            }

            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var client = await ConnectAsync(attempt.Token);
                await client.DisconnectAsync(quit: true, attempt.Token);
                return null;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException
                                           or ImapProtocolException or AuthenticationException)
            {
                last = ex;
                await Task.Delay(100);
            }
        }

        return $"not ready within {timeout.TotalSeconds} s; last error: {last?.Message}";
    }
}
