using Pta.Grains.Abstractions;

namespace Pta.Grains.Tests;

/// <summary>Creates schools with rosters under unique ids, so tests sharing one cluster never see each other's data.</summary>
public static class TestSchools
{
    public static async Task<(SchoolProfile Profile, IReadOnlyList<RosterEntry> Roster)> CreateAsync(
        IGrainFactory grains, int guardians, int grades = 3, int classes = 2, string boardId = "test-board")
    {
        var schoolId = "s-" + Guid.NewGuid().ToString("N")[..12];
        var profile = new SchoolProfile(schoolId, boardId, $"テスト小学校 {schoolId}", $"{schoolId}@mail.test-city.example", "テスト小学校");
        var roster = Enumerable.Range(0, guardians)
            .Select(n => new RosterEntry($"g{n:D4}", n % grades + 1, (n / grades % classes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"hogosha{n:D4}.{schoolId}@docomo.ne.jp"]))
            .ToList();
        var school = grains.GetGrain<ISchoolGrain>(schoolId);
        await school.ConfigureAsync(profile);
        await school.ReplaceRosterAsync(roster);
        return (profile, roster);
    }

    public static BroadcastSubmission Submission(string schoolId, string subject = "臨時休校のお知らせ", Audience? audience = null, string hash = "h1") =>
        new(schoolId, subject, "本日は台風のため臨時休校とします。\n自宅で待機してください。", BroadcastCategory.Emergency,
            audience ?? Audience.WholeSchool, hash, "test-key", DateTimeOffset.UtcNow);
}
