using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pta.Testing;

/// <summary>
/// A real SMTP server process that behaves like a throttling Japanese mobile carrier:
/// tests/emulator/carrier_emulator.py (aiosmtpd) on a loopback port the kernel picks, with its own config
/// and a ledger of every message it accepted (one JSON line each, written before the 250).
/// </summary>
public sealed class CarrierEmulator : IAsyncDisposable
{
    private static readonly JsonSerializerOptions LedgerJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private CarrierEmulator(Process process, string ledgerPath)
    {
        _process = process;
        LedgerPath = ledgerPath;
    }

    public int Port { get; private set; }

    public string LedgerPath { get; }

    /// <summary>What the emulator wrote to stderr so far: one line per refusal, and the counts on exit.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the emulator with <paramref name="configJson"/> (the format of tests/emulator/README.md; null for the defaults).</summary>
    public static async Task<CarrierEmulator> StartAsync(string? configJson = null)
    {
        var dir = Path.Combine(TestEnvironment.ScratchDirectory, "carrier-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var start = new ProcessStartInfo(PythonPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var ledger = Path.Combine(dir, "ledger.jsonl");
        foreach (var arg in new[] { Path.Combine(RepositoryRoot(), "tests", "emulator", "carrier_emulator.py"), "--port", "0", "--ledger", ledger })
        {
            start.ArgumentList.Add(arg);
        }

        if (configJson is not null)
        {
            var config = Path.Combine(dir, "config.json");
            await File.WriteAllTextAsync(config, configJson);
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(config);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("carrier_emulator.py did not start.");
        var emulator = new CarrierEmulator(process, ledger);

        // stderr is drained continuously: a full pipe would stall the emulator mid-session.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (emulator._log)
                {
                    emulator._log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            emulator.Port = await ReadReadyPortAsync(process, TimeSpan.FromSeconds(15));
        }
        catch
        {
            await emulator.DisposeAsync();
            throw new InvalidOperationException($"carrier_emulator.py did not report READY: {emulator.Log}");
        }

        return emulator;
    }

    /// <summary>Every message the emulator accepted so far, in order; a line still being written is skipped.</summary>
    public IReadOnlyList<CarrierLedgerEntry> LedgerEntries()
    {
        string text;
        using (var stream = new FileStream(LedgerPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        var lines = text.Split('\n');
        return [.. lines.Take(lines.Length - 1) // the last piece is empty or an unfinished line
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<CarrierLedgerEntry>(line, LedgerJson)
                ?? throw new FormatException($"Bad ledger line: {line}"))];
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessShutdown.TerminateAsync(_process, TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private static async Task<int> ReadReadyPortAsync(Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var line = await process.StandardOutput.ReadLineAsync(cancel.Token);
        const string Ready = "READY port=";
        if (line is null || !line.StartsWith(Ready, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unexpected first line: {line}");
        }

        return int.Parse(line.AsSpan(Ready.Length), CultureInfo.InvariantCulture);
    }

    /// <summary>PTA_PYTHON, else Debian's python3 (where python3-aiosmtpd installs; a pyenv python3 on PATH may lack it).</summary>
    private static string PythonPath() =>
        Environment.GetEnvironmentVariable("PTA_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3"
        : "python3";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pta.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Pta.Orleans.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One accepted message in the emulator's ledger.</summary>
public sealed record CarrierLedgerEntry(
    DateTimeOffset Time,
    double Ts,
    string Carrier,
    string MailFrom,
    IReadOnlyList<string> Recipients,
    string? MessageId,
    long Size);
