using Pta.Grains.Abstractions;

namespace Pta.Gateway.Cap;

/// <summary>
/// The answer to a Test, Exercise, System or Draft alert: what an actual one would have done, with the audience the
/// matched rule reaches today. It only reads (rules, the alert log, the schools' rosters): nothing is stored and
/// nothing can send.
/// </summary>
internal static class CapDryRun
{
    public static async Task<CapIntakeResult> DescribeAsync(
        CapAlert alert, CapIntake intake, IReadOnlyList<CapRule> rules, BoardProfile board, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var match = CapRuleMatcher.Match(alert, rules, board.BoardId);
        var referenced = alert.MsgType is "Update" or "Cancel" ? await intake.ReferencedAsync(alert, cancellationToken) : [];
        var prefix = $"Status {alert.Status}: nothing was created or sent. ";
        var (action, detail) = alert.MsgType switch
        {
            "Cancel" when referenced.Count > 0 => ("cancel", $"An actual alert would cancel {string.Join(", ", referenced)}."),
            "Cancel" => ("none", "No broadcast of this board came from the referenced alerts."),
            "Update" when referenced.Count > 0 => ("update", $"An actual alert would update (or, once sending, replace) {string.Join(", ", referenced)}."),
            "Alert" or "Update" when match is { } m => (m.Rule.Action == CapAction.Send ? "send" : "draft",
                m.Rule.Action == CapAction.Send ? $"An actual alert would be sent at once by rule '{m.Rule.Name}'." : $"An actual alert would wait for approval (rule '{m.Rule.Name}')."),
            "Alert" or "Update" => ("none", "No rule of this board matches the alert."),
            _ => ("ignored", $"A {alert.MsgType} message needs no broadcast."),
        };

        var result = CapIntake.Result(alert, action, match?.Rule.Name, [], prefix + detail) with { BroadcastIds = referenced };
        if (match is not { } matched || action is "ignored" or "none")
        {
            return result;
        }

        var (addresses, households) = await AudienceAsync(matched.Rule, board, grains);
        return result with { Addresses = addresses, Households = households };
    }

    /// <summary>Resolved by each school grain as a send resolves it; an address in two schools counts once, as it is mailed once.</summary>
    private static async Task<(int Addresses, int Households)> AudienceAsync(CapRule rule, BoardProfile board, IGrainFactory grains)
    {
        var schools = rule.Schools.Count > 0 ? rule.Schools.Where(board.SchoolIds.Contains) : board.SchoolIds;
        var audiences = await Task.WhenAll(schools.Select(id => grains.GetGrain<ISchoolGrain>(id).ResolveAudienceAsync(Audience.WholeSchool)));
        var recipients = audiences.SelectMany(a => a).DistinctBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToList();
        return (recipients.Count, recipients.Select(r => Ids.HouseholdOf(r.Key)).Distinct(StringComparer.Ordinal).Count());
    }
}
