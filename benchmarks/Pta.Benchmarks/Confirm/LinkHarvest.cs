using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Confirm;

/// <summary>
/// The confirmation links of one broadcast, taken from the mail the dumping smtp-sink accepted, as a guardian's phone
/// would find them: each record parsed as a message, its base64 body decoded, the <c>/c/…</c> link read from the text.
/// One link per recipient; a recipient's second record (a duplicate send) carries the same link and is counted once.
/// </summary>
public static partial class LinkHarvest
{
    /// <summary>The link paths (<c>/c/token</c>) by Message-ID, for the messages of <paramref name="broadcastId"/>.</summary>
    public static IReadOnlyDictionary<string, string> Read(string dumpDirectory, string broadcastId)
    {
        var links = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var files = new DirectoryInfo(dumpDirectory).EnumerateFiles();
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, file =>
        {
            foreach (var record in SinkDump.SplitRecords(Encoding.Latin1.GetString(File.ReadAllBytes(file.FullName))))
            {
                using var stream = new MemoryStream(Encoding.Latin1.GetBytes(record));
                var message = MimeMessage.Load(stream);
                if (message.MessageId is { } id && id.StartsWith(broadcastId + ".", StringComparison.Ordinal)
                    && Link().Match(message.TextBody ?? string.Empty) is { Success: true } link)
                {
                    links.TryAdd(id, link.Groups[1].Value);
                }
            }
        });

        return links;
    }

    [GeneratedRegex(@"https?://[^/\s]+(/c/[A-Za-z0-9_-]+)")]
    private static partial Regex Link();
}
