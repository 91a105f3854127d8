using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Confirm;

/// <summary>
/// The confirmation links of some broadcasts, taken from the mail the dumping smtp-sink accepted, as a guardian's phone
/// would find them: each record parsed as a message, its base64 body decoded, the <c>/c/…</c> link read from the text.
/// One link per recipient; a recipient's second record (a duplicate send) carries the same link and is counted once.
/// </summary>
public static partial class LinkHarvest
{
    /// <summary>Per broadcast of <paramref name="broadcastIds"/>, its link paths (<c>/c/token</c>), one per Message-ID, in order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string dumpDirectory, IReadOnlyCollection<string> broadcastIds)
    {
        var links = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var files = new DirectoryInfo(dumpDirectory).EnumerateFiles();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
        {
            foreach (var record in SinkDump.SplitRecords(Encoding.Latin1.GetString(File.ReadAllBytes(file.FullName))))
            {
                using var stream = new MemoryStream(Encoding.Latin1.GetBytes(record));
                var message = MimeMessage.Load(stream);
                if (message.MessageId is { } id && Link().Match(message.TextBody ?? string.Empty) is { Success: true } link)
                {
                    links.TryAdd(id, link.Groups[1].Value);
                }
            }
        });

        // Message-IDs are <broadcast.recipient@domain>: the broadcast is everything before the first dot.
        var byBroadcast = links.GroupBy(l => l.Key[..Math.Max(0, l.Key.IndexOf('.', StringComparison.Ordinal))]).ToDictionary(g => g.Key, g => g);
        return broadcastIds.ToDictionary(id => id, IReadOnlyList<string> (id) =>
            byBroadcast.TryGetValue(id, out var mine) ? [.. mine.Select(l => l.Value).Order(StringComparer.Ordinal)] : []);
    }

    [GeneratedRegex(@"https?://[^/\s]+(/c/[A-Za-z0-9_-]+)")]
    private static partial Regex Link();
}
