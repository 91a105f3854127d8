using System.Diagnostics;
using System.Net.Sockets;
using MimeKit;

namespace Pta.Testing;

/// <summary>
/// A real SMTP server process: Postfix's smtp-sink on a free loopback port, dumping every mail
/// transaction (envelope lines X-Mail-Args / X-Rcpt-Args, then the message) to a file of its own.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string dumpDirectory)
    {
        _process = process;
        Port = port;
        DumpDirectory = dumpDirectory;
    }

    public int Port { get; }

    public string DumpDirectory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var dump = Path.Combine(TestEnvironment.ScratchDirectory, "sink-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dump);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dump, (UnixFileMode)0b111_111_111);
        }
        var port = FreePort.Next();
        var start = new ProcessStartInfo(TestEnvironment.SmtpSinkPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // As root, smtp-sink insists on dropping privileges (-u); the dump folder is world-writable for that.
        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("nobody");
        }

        foreach (var arg in new[] { "-d", Path.Combine(dump, "%H%M%S."), $"127.0.0.1:{port}", "256" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start.");
        var sink = new SmtpSink(process, port, dump);
        await sink.WaitUntilListeningAsync();
        return sink;
    }

    /// <summary>Every transaction dumped so far, parsed; files still being written are skipped.</summary>
    public IReadOnlyList<SinkMessage> Messages()
    {
        var messages = new List<SinkMessage>();
        foreach (var file in Directory.EnumerateFiles(DumpDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            MimeMessage message;
            try
            {
                using var stream = File.OpenRead(file);
                message = MimeMessage.Load(stream);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                continue; // smtp-sink is still writing it; a later call sees it whole
            }

            messages.Add(new SinkMessage(
                message.Headers["X-Mail-Args"] ?? "",
                message.Headers.Where(h => h.Field == "X-Rcpt-Args").Select(h => h.Value).ToList(),
                message,
                File.ReadAllText(file),
                File.GetLastWriteTimeUtc(file)));
        }

        return messages;
    }

    /// <summary>Waits, within a bound, until at least <paramref name="count"/> transactions were dumped.</summary>
    public async Task<IReadOnlyList<SinkMessage>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.EnumerateFiles(DumpDirectory, "*", SearchOption.AllDirectories).Count() >= count)
            {
                await Task.Delay(200); // let smtp-sink finish the last file
                return Messages();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"smtp-sink received {Messages().Count} of {count} messages within {timeout}.");
    }

    /// <summary>Waits, within a bound, until at least <paramref name="count"/> dumped messages match.</summary>
    public async Task<IReadOnlyList<SinkMessage>> WaitForAsync(Func<SinkMessage, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<SinkMessage> found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = [.. Messages().Where(match)];
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"smtp-sink received {found.Count} of {count} matching messages within {timeout}.");
    }

    /// <summary>Messages whose envelope recipient is <paramref name="address"/>.</summary>
    public static Func<SinkMessage, bool> To(string address) =>
        m => m.RcptTo.Any(r => string.Equals(r.Trim('<', '>'), address, StringComparison.OrdinalIgnoreCase));

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"smtp-sink did not listen on port {Port} within 5 s: {await _process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>
/// One dumped transaction: envelope sender, envelope recipients, the parsed message, its raw text, and when smtp-sink
/// finished writing it (the end of DATA, to the file system's resolution).
/// </summary>
public sealed record SinkMessage(string MailFrom, IReadOnlyList<string> RcptTo, MimeMessage Message, string Raw, DateTime AcceptedAt = default);
