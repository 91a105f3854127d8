using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// Checks a broadcast request field by field and turns it into the grain's audience. Text that reaches a
/// mail header must not carry CR, LF, NUL or any other control character (header injection); the body may
/// carry line breaks and tabs only. Invalid UTF-16 (lone surrogates) is refused everywhere.
/// </summary>
public static class BroadcastRequestValidator
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 20_000;
    public const int MinGrade = 1;
    public const int MaxGrade = 12;
    public const int MaxClassNameLength = 20;
    public const int MaxAudienceItems = 200;

    public static Dictionary<string, string[]> Validate(BroadcastRequest request, out BroadcastCategory category, out Audience audience)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        category = default;
        audience = Audience.WholeSchool;

        TextRules.Check(errors, "subject", request.Subject, MaxSubjectLength, allowLineBreaks: false);
        TextRules.Check(errors, "body", request.Body, MaxBodyLength, allowLineBreaks: true);

        if (string.IsNullOrEmpty(request.Category))
        {
            errors["category"] = ["Required: one of emergency, safety, info, test, maintenance."];
        }
        else if (!TryParseCategory(request.Category, out category))
        {
            errors["category"] = ["Must be one of emergency, safety, info, test, maintenance."];
        }

        var grades = request.Audience?.Grades ?? [];
        var classes = request.Audience?.Classes ?? [];
        var groups = request.Audience?.Groups ?? [];
        if (grades.Count + classes.Count + groups.Count > MaxAudienceItems)
        {
            errors["audience"] = [$"At most {MaxAudienceItems} grades and classes."];
        }

        for (var i = 0; i < grades.Count; i++)
        {
            if (grades[i] is < MinGrade or > MaxGrade)
            {
                errors[$"audience.grades[{i}]"] = [$"A grade is between {MinGrade} and {MaxGrade}."];
            }
        }

        for (var i = 0; i < classes.Count; i++)
        {
            if (classes[i] is null)
            {
                errors[$"audience.classes[{i}]"] = ["A class needs a grade and a class name."];
                continue;
            }

            if (classes[i].Grade is < MinGrade or > MaxGrade)
            {
                errors[$"audience.classes[{i}].grade"] = [$"A grade is between {MinGrade} and {MaxGrade}."];
            }

            TextRules.Check(errors, $"audience.classes[{i}].class", classes[i].Class, MaxClassNameLength, allowLineBreaks: false);
        }

        for (var i = 0; i < groups.Count; i++)
        {
            if (!Ids.IsValid(groups[i]))
            {
                errors[$"audience.groups[{i}]"] = ["A group id: lower-case letters, digits and hyphens, starting with a letter."];
            }
        }

        if (errors.Count == 0)
        {
            audience = new Audience(
                [.. grades.Distinct().Order()],
                [.. classes.Select(c => new ClassRef(c.Grade, c.Class!)).Distinct().OrderBy(c => c.Grade).ThenBy(c => c.Class, StringComparer.Ordinal)],
                groups.Count == 0 ? null : [.. groups.Distinct().Order(StringComparer.Ordinal)],
                EveryRegisteredAddress: category == BroadcastCategory.Maintenance); // service notices reach every registered address
        }

        return errors;
    }

    public const int MaxFollowUps = 3;
    public const int MinFollowUpMinutes = 5;
    public const int MaxFollowUpMinutes = 24 * 60;
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(366);

    /// <summary>
    /// Confirmation, schedule and follow-ups, the same for school, PTA and board requests. A follow-up needs
    /// confirmation (without it nobody is known to be "unconfirmed"); a send time is in the future, at most a year on.
    /// </summary>
    public static void ValidateLifecycle(
        Dictionary<string, string[]> errors, bool? requireConfirmation, DateTimeOffset? sendAt, IReadOnlyList<int>? followUpMinutes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (sendAt is { } at && (at <= now || at > now + MaxScheduleAhead))
        {
            errors["sendAt"] = ["A send time in the future, at most a year ahead (ISO 8601 with offset, e.g. 2026-12-01T07:00:00+09:00)."];
        }

        if (followUpMinutes is not { Count: > 0 } delays)
        {
            return;
        }

        if (requireConfirmation != true)
        {
            errors["followUpMinutes"] = ["Follow-ups re-send to households that did not confirm: set requireConfirmation to true."];
        }
        else if (delays.Count > MaxFollowUps)
        {
            errors["followUpMinutes"] = [$"At most {MaxFollowUps} follow-ups."];
        }
        else
        {
            for (var i = 0; i < delays.Count; i++)
            {
                if (delays[i] is < MinFollowUpMinutes or > MaxFollowUpMinutes || (i > 0 && delays[i] <= delays[i - 1]))
                {
                    errors[$"followUpMinutes[{i}]"] = [$"Minutes after the send started, {MinFollowUpMinutes}–{MaxFollowUpMinutes}, each later than the one before."];
                }
            }
        }
    }

    /// <summary>The Idempotency-Key header: required, 1–128 visible ASCII characters.</summary>
    public static string? IdempotencyKeyError(string? key) =>
        key switch
        {
            null or "" => "The Idempotency-Key header is required: a unique value per broadcast, reused only to retry the same request.",
            { Length: > 128 } => "At most 128 characters.",
            _ when !key.All(c => c is >= '!' and <= '~') => "Only visible ASCII characters (no spaces or control characters).",
            _ => null,
        };

    internal static bool TryParseCategory(string value, out BroadcastCategory category) =>
        Enum.TryParse(value, ignoreCase: true, out category)
        && Enum.IsDefined(category)
        && !value.Any(char.IsDigit);
}
