using Pta.Grains.Abstractions;

namespace Pta.Gateway.Demo;

/// <summary>
/// A small made-up city for trying the product out: one board, three schools, about 300 guardians
/// over grades and classes, with addresses at the carriers that matter (docomo, au, SoftBank) and Gmail.
/// Deterministic, so two runs seed the same roster.
/// </summary>
public static class DemoCity
{
    public const string BoardId = "demo-city";
    public const string MailDomain = "mail.demo-city.example";

    public const int GuardiansPerSchool = 100;

    private static readonly string[] CarrierDomains = ["docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "gmail.com"];

    public static IReadOnlyList<SchoolProfile> Schools { get; } =
    [
        new("daiichi-es", BoardId, "デモ市立第一小学校", $"daiichi-es@{MailDomain}", "第一小学校"),
        new("minami-es", BoardId, "デモ市立南小学校", $"minami-es@{MailDomain}", "南小学校"),
        new("higashi-jhs", BoardId, "デモ市立東中学校", $"higashi-jhs@{MailDomain}", "東中学校"),
    ];

    /// <summary>The board; declared after <see cref="Schools"/> because static initialisers run in text order.</summary>
    public static BoardProfile Board { get; } = new(BoardId, "デモ市教育委員会", $"board@{MailDomain}", Schools.Select(s => s.SchoolId).ToArray());

    /// <summary>Elementary schools have grades 1–6 with 2 classes; the junior high school grades 1–3 with 3 classes.</summary>
    public static IReadOnlyList<RosterEntry> RosterOf(SchoolProfile school)
    {
        ArgumentNullException.ThrowIfNull(school);
        var (grades, classes) = school.SchoolId.EndsWith("-jhs", StringComparison.Ordinal) ? (3, 3) : (6, 2);
        var roster = new List<RosterEntry>(GuardiansPerSchool);
        for (var n = 0; n < GuardiansPerSchool; n++)
        {
            var grade = n % grades + 1;
            var cls = (n / grades % classes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var first = $"hogosha.{school.SchoolId}.{n:D4}@{CarrierDomains[n % CarrierDomains.Length]}";

            // Every fifth guardian also has a second broadcast address (slot 2), e.g. a work address.
            IReadOnlyList<string> addresses = n % 5 == 0 ? [first, $"work.{school.SchoolId}.{n:D4}@gmail.com"] : [first];
            roster.Add(new RosterEntry($"{school.SchoolId}-g{n:D4}", grade, cls, addresses));
        }

        return roster;
    }
}
