using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Pta.Grains.Delivery;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// The fan-out load scenario: N messages of one broadcast to N distinct recipients, composed by
/// <see cref="MessageComposer"/> and sent by <see cref="SmtpMailTransport"/> with C concurrent senders
/// over C pooled connections to smtp-sink on loopback; then the loopback ceiling (smtp-source → smtp-sink)
/// in the same run. The last line printed is the result, for scripts:
/// <c>SMTP messages=N connections=C seconds=T rate=R ceiling_rate=L ratio=R/L</c>.
/// </summary>
public static class SmtpThroughput
{
    public const int DefaultMessages = 100_000;
    public const int DefaultConnections = 16;
    public const int DefaultWarmup = 2_000;
    public const int DefaultTimeoutSeconds = 600;

    private const string Usage =
        "usage: smtp [--messages N=100000] [--connections C=16] [--warmup W=2000] [--timeout SECONDS=600]";

    /// <summary>Runs the scenario; exit code 0 with the result line, 1 on a failed run, 2 on bad arguments.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (!TryParse(args, out var settings, out var error))
        {
            await Console.Error.WriteLineAsync($"{error}\n{Usage}");
            return 2;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        using var signals = Signals.CancelOnTermination(stop);
        try
        {
            Console.WriteLine($"rendered message: {RenderedSize()} bytes on the wire; ceiling messages: {LoopbackCeiling.MessageSize} bytes");
            var elapsed = await SendThroughTransportAsync(settings, stop.Token);
            var rate = settings.Messages / elapsed.TotalSeconds;
            Console.WriteLine($"transport: {settings.Messages} messages in {elapsed.TotalSeconds:F2} s = {rate:F0}/s");

            var remaining = TimeSpan.FromSeconds(settings.TimeoutSeconds) - elapsed;
            var ceiling = await LoopbackCeiling.MeasureAsync(settings.Messages, settings.Connections, remaining, stop.Token);
            var ceilingRate = settings.Messages / ceiling.TotalSeconds;
            Console.WriteLine($"ceiling: smtp-source {settings.Messages} messages in {ceiling.TotalSeconds:F2} s = {ceilingRate:F0}/s");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SMTP messages={settings.Messages} connections={settings.Connections} seconds={elapsed.TotalSeconds:F2} rate={rate:F0} ceiling_rate={ceilingRate:F0} ratio={rate / ceilingRate:F3}"));
            return 0;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException
                                       or IOException or System.ComponentModel.Win32Exception)
        {
            var reason = ex is OperationCanceledException ? $"stopped (signal or the {settings.TimeoutSeconds} s limit)" : ex.Message;
            await Console.Error.WriteLineAsync($"smtp scenario failed: {reason}");
            return 1;
        }
        finally
        {
            ProcessTracker.StopAll();
        }
    }

    private static async Task<TimeSpan> SendThroughTransportAsync(ThroughputSettings settings, CancellationToken cancellationToken)
    {
        using var sink = await SmtpSinkProcess.StartAsync(cancellationToken);
        var options = Options.Create(new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = sink.Port,
            Connections = settings.Connections,
        });
        await using var transport = new SmtpMailTransport(options, NullLogger<SmtpMailTransport>.Instance);
        var composer = new MessageComposer(SampleBroadcast.Content);

        // Warm-up on recipients past N: JIT tiering and the pool's connections, which a long-running silo has already.
        await SendRangeAsync(transport, composer, settings.Messages, settings.Warmup, settings.Connections, cancellationToken);

        var watch = Stopwatch.StartNew();
        await SendRangeAsync(transport, composer, 0, settings.Messages, settings.Connections, cancellationToken);
        return watch.Elapsed;
    }

    /// <summary>Sends recipients [first, first + count) with <paramref name="senders"/> workers, as the shard's parallel loop does.</summary>
    private static async Task SendRangeAsync(
        SmtpMailTransport transport, MessageComposer composer, int first, int count, int senders, CancellationToken cancellationToken)
    {
        var next = -1;
        var tally = new int[Enum.GetValues<DeliveryStatus>().Length];
        string? lastFailure = null;
        async Task SendLoopAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var recipient = SampleBroadcast.RecipientAt(first + i);
                var (message, envelope) = composer.ComposeWithEnvelope(recipient); // as the delivery shard does
                var result = await transport.SendAsync(message, composer.Sender, envelope, SendLane.Urgent, cancellationToken);
                Interlocked.Increment(ref tally[(int)result.Status]);
                if (result.Status != DeliveryStatus.Sent)
                {
                    lastFailure = result.Reply;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(SendLoopAsync, cancellationToken)));
        if (tally[(int)DeliveryStatus.Sent] != count)
        {
            var counts = string.Join(", ", Enum.GetValues<DeliveryStatus>().Select(s => $"{s}={tally[(int)s]}"));
            throw new InvalidOperationException($"not every message was accepted ({counts}); last reply: {lastFailure}");
        }
    }

    private static long RenderedSize()
    {
        var composer = new MessageComposer(SampleBroadcast.Content);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var wire = new MemoryStream();
        composer.Compose(SampleBroadcast.RecipientAt(0)).WriteTo(format, wire);
        return wire.Length;
    }

    private static bool TryParse(IReadOnlyList<string> args, out ThroughputSettings settings, out string error)
    {
        settings = new ThroughputSettings(DefaultMessages, DefaultConnections, DefaultWarmup, DefaultTimeoutSeconds);
        error = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            if (i + 1 >= args.Count || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error = $"{args[i]} needs a non-negative whole number";
                return false;
            }

            switch (args[i++])
            {
                case "--messages" when value > 0:
                    settings = settings with { Messages = value };
                    break;
                case "--connections" when value is > 0 and <= 256:
                    settings = settings with { Connections = value };
                    break;
                case "--warmup":
                    settings = settings with { Warmup = value };
                    break;
                case "--timeout" when value > 0:
                    settings = settings with { TimeoutSeconds = value };
                    break;
                default:
                    error = $"unknown option or value out of range: {args[i - 1]} {value}";
                    return false;
            }
        }

        return true;
    }

    private sealed record ThroughputSettings(int Messages, int Connections, int Warmup, int TimeoutSeconds);
}
