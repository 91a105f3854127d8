using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// What smtp-sink accepted, read back from its <c>-d</c> dump folder: one file per transaction, modified when the
/// message was accepted. Recipients are told apart by Message-ID, which the engine makes stable per recipient
/// (<c>&lt;broadcast.recipient@domain&gt;</c>), so a second record with the same id is a duplicate send.
/// </summary>
public sealed class SinkDump
{
    private const string RecordStart = "X-Client-Addr:";

    private SinkDump(
        IReadOnlyDictionary<string, Acceptance> byMessageId, int records, int messageSize, int recordsWithoutId,
        IReadOnlyList<SinkRecord> everyRecord)
    {
        ByMessageId = byMessageId;
        Records = records;
        MessageSize = messageSize;
        RecordsWithoutId = recordsWithoutId;
        EveryRecord = everyRecord;
    }

    /// <summary>Each Message-ID seen: when it was first accepted and how many records carry it.</summary>
    public IReadOnlyDictionary<string, Acceptance> ByMessageId { get; }

    /// <summary>Accepted transactions in all.</summary>
    public int Records { get; }

    /// <summary>The message size the client announced (MAIL FROM … SIZE=), the engine's rendered size on the wire.</summary>
    public int MessageSize { get; }

    public int RecordsWithoutId { get; }

    /// <summary>Every record (Message-ID, acceptance time, sending silo's EHLO name), oldest first; empty unless <c>Read</c> was asked to keep them.</summary>
    public IReadOnlyList<SinkRecord> EveryRecord { get; }

    /// <summary>How many files the folder holds now, cheaply (to see that sending has begun).</summary>
    public static int CountFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Count() : 0;

    /// <param name="directory">The sink's dump folder.</param>
    /// <param name="keepEveryRecord">
    /// Also keep each record's time (the chaos run looks for pauses in acceptance and places each duplicate); off for
    /// the million-recipient runs, which need only the first acceptance per Message-ID.
    /// </param>
    public static SinkDump Read(string directory, bool keepEveryRecord = false)
    {
        var merged = new ConcurrentDictionary<string, Acceptance>(StringComparer.Ordinal);
        var every = new ConcurrentBag<SinkRecord>();
        var records = 0;
        var withoutId = 0;
        var size = 0;
        var files = new DirectoryInfo(directory).EnumerateFiles();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file.FullName));
            var acceptedAt = file.LastWriteTimeUtc;
            foreach (var record in SplitRecords(text))
            {
                Interlocked.Increment(ref records);
                if (size == 0 && AnnouncedSize(record) is { } announced)
                {
                    Interlocked.CompareExchange(ref size, announced, 0);
                }

                if (HeaderValue(record, "\nMessage-Id:") is not { } id)
                {
                    Interlocked.Increment(ref withoutId);
                    continue;
                }

                if (keepEveryRecord)
                {
                    every.Add(new SinkRecord(id, acceptedAt, HeaderValue(record, "\nX-Helo-Args:") ?? string.Empty));
                }

                merged.AddOrUpdate(id, _ => new Acceptance(acceptedAt, 1),
                    (_, seen) => new Acceptance(seen.First < acceptedAt ? seen.First : acceptedAt, seen.Count + 1));
            }
        });

        return new SinkDump(merged, records, size, withoutId, [.. every.OrderBy(r => r.At)]);
    }

    /// <summary>
    /// A file normally holds one record; two transactions that drew the same random file name within one second are
    /// appended to one file, so every record start is looked for.
    /// </summary>
    internal static IEnumerable<string> SplitRecords(string text)
    {
        var start = text.IndexOf(RecordStart, StringComparison.Ordinal);
        while (start >= 0)
        {
            var next = text.IndexOf("\n" + RecordStart, start + RecordStart.Length, StringComparison.Ordinal);
            yield return next < 0 ? text[start..] : text[start..(next + 1)];
            start = next < 0 ? -1 : next + 1;
        }
    }

    private static string? HeaderValue(string record, string header)
    {
        var at = record.IndexOf(header, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var from = at + header.Length;
        var end = record.IndexOf('\n', from);
        return record[from..(end < 0 ? record.Length : end)].Trim();
    }

    private static int? AnnouncedSize(string record)
    {
        if (HeaderValue(record, "\nX-Mail-Args:") is not { } mailArgs)
        {
            return null;
        }

        var at = mailArgs.IndexOf("SIZE=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var digits = new string(mailArgs[(at + 5)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    public sealed record Acceptance(DateTime First, int Count);

    /// <summary>One accepted transaction: its Message-ID, when (the dump file's time) and the EHLO name of the silo that sent it.</summary>
    public sealed record SinkRecord(string MessageId, DateTime At, string Helo);
}
