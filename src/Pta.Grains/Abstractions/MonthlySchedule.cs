namespace Pta.Grains.Abstractions;

/// <summary>
/// The board's monthly test broadcast (seed 002: 月1回程度, also to check that the system works when it matters): on
/// <see cref="DayOfMonth"/> (1–28, so every month has it) at <see cref="TimeOfDay"/> Japan time, to the chosen schools.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.monthly-schedule")]
public sealed record MonthlySchedule(
    [property: Id(0)] int DayOfMonth,
    [property: Id(1)] TimeOnly TimeOfDay,
    [property: Id(2)] string Subject,
    [property: Id(3)] string Body,
    [property: Id(4)] IReadOnlyList<string> SchoolIds,
    [property: Id(5)] bool RequestsConfirmation,
    [property: Id(6)] BroadcastActor SetBy)
{
    /// <summary>Japan has no daylight saving time: a fixed +09:00 is exact.</summary>
    public static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    public const int LastDay = 28;

    /// <summary>The first run strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var local = now.ToOffset(JapanOffset);
        var candidate = At(local.Year, local.Month);
        return candidate > now ? candidate : At(local.AddMonths(1).Year, local.AddMonths(1).Month);
    }

    /// <summary>The idempotency key of the run due at <paramref name="run"/>: one broadcast per month, however often asked.</summary>
    public static string RunKey(DateTimeOffset run) => $"monthly-test/{run.ToOffset(JapanOffset):yyyy-MM}";

    private DateTimeOffset At(int year, int month) =>
        new(year, month, DayOfMonth, TimeOfDay.Hour, TimeOfDay.Minute, 0, JapanOffset);
}
