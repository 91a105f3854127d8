using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// Postfix's smtp-sink on a free loopback port: it accepts every transaction with 250 and throws the
/// mail away, so it costs the sender nothing but the SMTP dialogue. Disposing kills it.
/// </summary>
public sealed class SmtpSinkProcess : IDisposable
{
    private const int Backlog = 1000;

    private const UnixFileMode EveryoneMayWrite =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SmtpSinkProcess(int port, IEnumerable<string> arguments)
    {
        Port = port;
        _process = PostfixTools.Start(PostfixTools.Find("smtp-sink"), arguments, Collect);
        ProcessTracker.Track(_process);
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts a sink and waits, within a bound, until it accepts connections.</summary>
    public static Task<SmtpSinkProcess> StartAsync(CancellationToken cancellationToken) => StartAsync(dumpDirectory: null, cancellationToken);

    /// <summary>
    /// Starts a sink that, when <paramref name="dumpDirectory"/> is set, also writes each accepted message to a file of
    /// its own there (<c>-d</c>): the file's modification time is the moment of acceptance, which the fan-out benchmark reads.
    /// </summary>
    public static async Task<SmtpSinkProcess> StartAsync(string? dumpDirectory, CancellationToken cancellationToken)
    {
        var port = PostfixTools.FreeLoopbackPort();
        var arguments = new List<string>();

        // As root smtp-sink refuses to keep its privileges; it drops them to -u after binding.
        if (Environment.UserName == "root")
        {
            arguments.AddRange(["-u", "nobody"]);
        }

        if (dumpDirectory is not null)
        {
            // Writable by the unprivileged user it switches to. smtp-sink appends a random number to each name, so
            // the per-second prefix only keeps names short; two messages that draw the same name share a file.
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("the dumping sink is for Linux, where Postfix's tools run");
            }

            Directory.CreateDirectory(dumpDirectory);
            File.SetUnixFileMode(dumpDirectory, EveryoneMayWrite);
            arguments.AddRange(["-d", Path.Combine(dumpDirectory, "%H%M%S.")]);
        }

        arguments.AddRange([$"127.0.0.1:{port}", Backlog.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var sink = new SmtpSinkProcess(port, arguments);
        try
        {
            await sink.WaitUntilListeningAsync(cancellationToken);
            return sink;
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        throw new TimeoutException($"smtp-sink did not listen on 127.0.0.1:{Port} within 5 s: {Output()}");
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Collect(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public void Dispose()
    {
        PostfixTools.Stop(_process);
        ProcessTracker.Forget(_process);
        _process.Dispose();
    }
}
