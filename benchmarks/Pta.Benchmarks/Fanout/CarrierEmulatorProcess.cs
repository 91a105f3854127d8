using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// tests/emulator/carrier_emulator.py on a kernel-chosen loopback port, with a ledger of every accepted message.
/// Debian's /usr/bin/python3 is used on purpose: it is the one that sees the python3-aiosmtpd package.
/// </summary>
public sealed class CarrierEmulatorProcess : IDisposable
{
    private readonly LoggedProcess _process;
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<DateTimeOffset> _refusals = [];

    private CarrierEmulatorProcess(string repo, string work, string configJson)
    {
        var config = Path.Combine(work, "carriers.json");
        File.WriteAllText(config, configJson);
        LedgerPath = Path.Combine(work, "ledger.jsonl");
        _process = LoggedProcess.Start(
            "carrier emulator", "/usr/bin/python3",
            [Path.Combine(repo, "tests/emulator/carrier_emulator.py"), "--port", "0", "--ledger", LedgerPath, "--config", config],
            work, new Dictionary<string, string>(), Path.Combine(work, "emulator.log"), OnLine);
    }

    public int Port { get; private set; }

    public int ProcessId => _process.Id;

    public string LedgerPath { get; }

    public static async Task<CarrierEmulatorProcess> StartAsync(string repo, string work, string configJson, CancellationToken cancellationToken)
    {
        var emulator = new CarrierEmulatorProcess(repo, work, configJson);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            emulator.Port = await emulator._ready.Task.WaitAsync(deadline.Token);
            return emulator;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var tail = emulator._process.Tail();
            emulator.Dispose();
            throw new TimeoutException($"the carrier emulator did not print READY within 30 s (python3-aiosmtpd installed?): {tail}");
        }
    }

    /// <summary>SIGTERM, so it closes the ledger and prints its refusal counts into the log.</summary>
    public Task StopAsync() => _process.TerminateAsync(TimeSpan.FromSeconds(10));

    public string Tail() => _process.Tail();

    /// <summary>When the emulator refused a message for its rate or connection limits (421 or reset), as its log lines arrived.</summary>
    public IReadOnlyList<DateTimeOffset> Refusals()
    {
        lock (_refusals)
        {
            return [.. _refusals];
        }
    }

    public void Dispose() => _process.Dispose();

    private void OnLine(string line)
    {
        if (line.StartsWith("EMULATOR throttled", StringComparison.Ordinal) || line.StartsWith("EMULATOR reset", StringComparison.Ordinal))
        {
            lock (_refusals)
            {
                _refusals.Add(DateTimeOffset.UtcNow);
            }
        }

        if (line.StartsWith("READY port=", StringComparison.Ordinal)
            && int.TryParse(line["READY port=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            _ready.TrySetResult(port);
        }
    }
}
