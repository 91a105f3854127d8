namespace Pta.Gateway.Cap;

/// <summary>
/// Finds the first rule of a board that an alert matches, and the <c>info</c> block it matched on (that block's
/// text becomes the mail). Japanese blocks are tried first, so a bilingual alert mails its Japanese text.
/// </summary>
public static class CapRuleMatcher
{
    public static (CapRule Rule, CapInfo Info)? Match(CapAlert alert, IEnumerable<CapRule> rules, string boardId)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(rules);
        var infos = alert.Infos.OrderBy(i => i.Language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ToList();
        foreach (var rule in rules.Where(r => r.Board == boardId))
        {
            if (infos.FirstOrDefault(info => Matches(rule, info)) is { } matched)
            {
                return (rule, matched);
            }
        }

        return null;
    }

    /// <summary>The best block to mail when no rule is needed (an update of an earlier alert's broadcast).</summary>
    public static CapInfo? PreferredInfo(CapAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Infos.FirstOrDefault(i => i.Language.StartsWith("ja", StringComparison.OrdinalIgnoreCase)) ?? alert.Infos.FirstOrDefault();
    }

    private static bool Matches(CapRule rule, CapInfo info) =>
        (rule.Events.Count == 0 || rule.Events.Any(e => info.Event.Contains(e, StringComparison.Ordinal)))
        && (rule.Severities.Count == 0 || rule.Severities.Contains(info.Severity))
        && (rule.Urgencies.Count == 0 || rule.Urgencies.Contains(info.Urgency))
        && (rule.Geocodes.Count == 0 || info.Areas.Any(a => a.Geocodes.Any(code => rule.Geocodes.Any(g => g.Matches(code)))));
}
