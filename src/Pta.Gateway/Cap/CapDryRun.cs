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
        var matches = CapRuleMatcher.Match(alert, rules, board);
        var referenced = alert.MsgType is "Update" or "Cancel" ? await intake.ReferencedAsync(alert, cancellationToken) : [];
        var prefix = $"Status {alert.Status}: nothing was created or sent. ";
        var (action, detail) = alert.MsgType switch
        {
            "Cancel" when referenced.Count > 0 => ("cancel", $"An actual alert would cancel {string.Join(", ", referenced)}."),
            "Cancel" => ("none", "No broadcast of this board came from the referenced alerts."),
            "Update" when referenced.Count > 0 => ("update", $"An actual alert would update (or, once sending, replace) {string.Join(", ", referenced)}."),
            "Alert" or "Update" when matches.Count > 0 => (
                matches.Any(m => m.Rule.Action == CapAction.Send) ? "send" : "draft",
                string.Join(" ", matches.Select(m => m.Rule.Action == CapAction.Send
                    ? $"An actual alert would be sent at once by rule '{m.Rule.Name}' ({Schools(m)})."
                    : $"An actual alert would wait for approval (rule '{m.Rule.Name}', {Schools(m)})."))),
            "Alert" or "Update" => ("none", "No rule of this board matches the alert."),
            _ => ("ignored", $"A {alert.MsgType} message needs no broadcast."),
        };

        var ruleNames = matches.Count > 0 ? string.Join(", ", matches.Select(m => m.Rule.Name)) : null;
        var result = CapIntake.Result(alert, action, ruleNames, [], prefix + detail) with { BroadcastIds = referenced };
        if (matches.Count == 0 || action is "ignored" or "none")
        {
            return result;
        }

        var (addresses, households) = await AudienceAsync(matches.SelectMany(m => m.Reaches).Where(board.SchoolIds.Contains), grains);
        return result with { Addresses = addresses, Households = households };
    }

    private static string Schools(CapMatch match) => match.Reaches.Count == 1 ? "1 school" : $"{match.Reaches.Count} schools";

    /// <summary>Resolved by each school grain as a send resolves it; an address in two schools counts once, as it is mailed once.</summary>
    private static async Task<(int Addresses, int Households)> AudienceAsync(IEnumerable<string> schools, IGrainFactory grains)
    {
        var audiences = await Task.WhenAll(schools.Select(id => grains.GetGrain<ISchoolGrain>(id).ResolveAudienceAsync(Audience.WholeSchool)));
        var recipients = audiences.SelectMany(a => a).DistinctBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToList();
        return (recipients.Count, recipients.Select(r => Ids.HouseholdOf(r.Key)).Distinct(StringComparer.Ordinal).Count());
    }
}
