using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// A city of N guardians, 1,000 per school, with the carrier mix (40% docomo, 25% au, 20% SoftBank,
/// 15% Gmail), loaded the way a board would: schools registered one PUT each, then one city-wide CSV through the
/// bulk roster path (as benchmarks/roster-import.sh does).
/// </summary>
public static class SyntheticCity
{
    /// <summary>Twenty slots in the proportions: 8 docomo, 3 + 2 au (two domains), 4 SoftBank, 3 Gmail.</summary>
    private static readonly string[] Domains =
    [
        .. Enumerable.Repeat("docomo.ne.jp", 8), .. Enumerable.Repeat("ezweb.ne.jp", 3), .. Enumerable.Repeat("au.com", 2),
        .. Enumerable.Repeat("softbank.ne.jp", 4), .. Enumerable.Repeat("gmail.com", 3),
    ];

    public static string SchoolId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index:D4}");

    /// <summary>The carrier (emulator's name) of guardian <paramref name="index"/>'s address.</summary>
    public static string CarrierOf(int index) => Domains[index % Domains.Length] switch
    {
        "docomo.ne.jp" => "docomo",
        "ezweb.ne.jp" or "au.com" => "au",
        "softbank.ne.jp" => "softbank",
        _ => "gmail",
    };

    /// <summary>Guardians per carrier for a city of <paramref name="guardians"/>.</summary>
    public static IReadOnlyDictionary<string, int> CarrierCounts(int guardians) =>
        Enumerable.Range(0, guardians).GroupBy(CarrierOf).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Registers the schools and imports the roster; returns the phase timings for the log.</summary>
    public static async Task<string> LoadAsync(GatewayApi api, int guardians, int perSchool, CancellationToken cancellationToken)
    {
        var schools = (guardians + perSchool - 1) / perSchool;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, schools),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, token) => await api.PutSchoolAsync(SchoolId(i), i, token));
        var registered = watch.Elapsed;

        var csv = Csv(guardians, perSchool);
        watch.Restart();
        var children = await api.ImportRosterAsync(csv, cancellationToken);
        var imported = watch.Elapsed;
        if (children != guardians)
        {
            throw new InvalidOperationException($"the import reports {children} children, expected {guardians}");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"schools={schools} register_s={registered.TotalSeconds:F1} csv_mb={csv.Length / 1048576.0:F1} import_s={imported.TotalSeconds:F1} children={children}");
    }

    /// <summary>One child per guardian, grades 1–6, classes 1–4; every address distinct.</summary>
    private static byte[] Csv(int guardians, int perSchool)
    {
        var text = new StringBuilder(guardians * 72);
        text.Append("school_id,grade,class,child_name,guardian_name,address1\n");
        for (var g = 0; g < guardians; g++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{SchoolId(g / perSchool)},{(g % 6) + 1},{(g / 6 % 4) + 1},児童{g},保護者{g},hogosha{g:D7}@{Domains[g % Domains.Length]}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
