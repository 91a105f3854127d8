using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// The loopback ceiling: Postfix's smtp-source, a small C program, sends the same number of messages over
/// the same number of reused sessions to its own smtp-sink. No .NET sender can beat it on the same machine,
/// so the scenario's rate is reported as a fraction of it (benchmarks/smtp-limit.sh measures the same alone).
/// </summary>
public static class LoopbackCeiling
{
    public const int MessageSize = 2000;

    /// <summary>Runs smtp-source to completion and returns its wall-clock time.</summary>
    public static Task<TimeSpan> MeasureAsync(int messages, int sessions, TimeSpan timeout, CancellationToken cancellationToken) =>
        MeasureAsync(messages, sessions, MessageSize, dumpDirectory: null, timeout, cancellationToken);

    /// <summary>
    /// The same with messages of <paramref name="size"/> bytes and, when <paramref name="dumpDirectory"/> is set, a sink
    /// that writes each message to a file there (to show what the fan-out benchmark's dumping sink costs).
    /// </summary>
    public static async Task<TimeSpan> MeasureAsync(
        int messages, int sessions, int size, string? dumpDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var sink = await SmtpSinkProcess.StartAsync(dumpDirectory, cancellationToken);
        var output = new StringBuilder();
        var arguments = new[]
        {
            "-d", "-s", Invariant(sessions), "-m", Invariant(messages), "-l", Invariant(size),
            "-f", "x@bench.invalid", "-t", "guardian@docomo.ne.jp", $"127.0.0.1:{sink.Port}",
        };

        var watch = Stopwatch.StartNew();
        using var source = PostfixTools.Start(PostfixTools.Find("smtp-source"), arguments, line =>
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        });
        ProcessTracker.Track(source);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await source.WaitForExitAsync(deadline.Token);
            watch.Stop();
            if (source.ExitCode != 0)
            {
                throw new InvalidOperationException($"smtp-source exited with {source.ExitCode}: {output}");
            }

            return watch.Elapsed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"smtp-source did not finish {messages} messages within {timeout}.");
        }
        finally
        {
            PostfixTools.Stop(source);
            ProcessTracker.Forget(source);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
