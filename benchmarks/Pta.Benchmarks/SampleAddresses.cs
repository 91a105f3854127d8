namespace Pta.Benchmarks;

/// <summary>
/// Guardian addresses with a realistic domain mix for a Japanese school: mostly the mobile carriers' domains
/// (docomo, au's ezweb.ne.jp and au.com, SoftBank's softbank.ne.jp and i.softbank.jp, Y!mobile), Gmail, a few
/// other providers, and the older forms: au's biz. domain and the per-region subdomains of vodafone and WILLCOM.
/// Already in normal form (lower-case domains), as stored addresses are when the shard classifies them.
/// </summary>
public static class SampleAddresses
{
    /// <summary>Each domain's share in every 64 addresses.</summary>
    public static IReadOnlyList<(string Domain, int PerSixtyFour)> Domains { get; } =
    [
        ("docomo.ne.jp", 18),
        ("ezweb.ne.jp", 8),
        ("au.com", 6),
        ("biz.ezweb.ne.jp", 1),
        ("softbank.ne.jp", 5),
        ("i.softbank.jp", 6),
        ("t.vodafone.ne.jp", 1),
        ("ymobile.ne.jp", 2),
        ("yahoo.ne.jp", 1),
        ("wm.pdx.ne.jp", 1),
        ("gmail.com", 10),
        ("icloud.com", 3),
        ("yahoo.co.jp", 1),
        ("outlook.jp", 1),
    ];

    /// <summary>
    /// <paramref name="count"/> distinct addresses <c>guardian&lt;n&gt;@&lt;domain&gt;</c> numbered from
    /// <paramref name="firstIndex"/>, the domains in the proportions of <see cref="Domains"/>, in a fixed shuffled
    /// order so that a loop over them does not see a repeating pattern.
    /// </summary>
    public static string[] Mix(int count, int firstIndex = 0)
    {
        var pattern = Domains.SelectMany(d => Enumerable.Repeat(d.Domain, d.PerSixtyFour)).ToArray();
        var domains = Enumerable.Range(0, count).Select(i => pattern[i % pattern.Length]).ToArray();
#pragma warning disable CA5394 // a fixed seed on purpose: every run measures the same order
        new Random(20261122).Shuffle(domains);
#pragma warning restore CA5394
        return [.. domains.Select((domain, i) => $"guardian{firstIndex + i:D7}@{domain}")];
    }
}
