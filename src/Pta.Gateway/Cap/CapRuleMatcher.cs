using Pta.Grains.Abstractions;

namespace Pta.Gateway.Cap;

/// <summary>
/// One rule's part of an alert: the <c>info</c> block it matched on (that block's text becomes the mail) and the
/// schools it decides for. <see cref="Schools"/> is what the broadcast is submitted with (empty: the whole board, as
/// the rule says); <see cref="Reaches"/> names them all.
/// </summary>
public sealed record CapMatch(CapRule Rule, CapInfo Info, IReadOnlyList<string> Schools, IReadOnlyList<string> Reaches);

/// <summary>
/// Decides, school by school, which rule of a board acts on an alert: for each of the board's schools the first
/// matching rule that covers it. A narrow rule placed first (one ward's schools, Send) and a broad one after it (the
/// whole board, Draft) then both act on one alert: the ward's schools are mailed at once and the rest wait for
/// approval, and no school gets the alert twice. Japanese <c>info</c> blocks are tried first, so a bilingual alert
/// mails its Japanese text.
/// </summary>
public static class CapRuleMatcher
{
    /// <summary>The acting rules in order, each with the schools it decides; empty when no rule of the board matches.</summary>
    /// <param name="alert">The validated alert.</param>
    /// <param name="rules">All configured rules; only <paramref name="board"/>'s are tried.</param>
    /// <param name="board">The calling credential's board, whose schools are decided.</param>
    /// <param name="decided">Schools no rule decides (an update's: those whose broadcast still waits and takes the new text).</param>
    public static IReadOnlyList<CapMatch> Match(CapAlert alert, IEnumerable<CapRule> rules, BoardProfile board, IEnumerable<string>? decided = null)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(board);
        var infos = alert.Infos.OrderBy(i => i.Language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ToList();
        var taken = new HashSet<string>(decided ?? [], StringComparer.Ordinal);
        var matches = new List<CapMatch>();
        foreach (var rule in rules.Where(r => r.Board == board.BoardId))
        {
            if (infos.FirstOrDefault(info => Matches(rule, info)) is not { } matched)
            {
                continue;
            }

            // A school the rule names that is not the board's stays in: the broadcast grain refuses it by name.
            var covers = (rule.Schools.Count > 0 ? rule.Schools : board.SchoolIds).Distinct(StringComparer.Ordinal).ToList();
            var left = covers.Where(taken.Add).ToList();
            if (left.Count == 0)
            {
                continue; // every school it covers is decided by an earlier rule
            }

            // Submitted as the rule says when nothing of it was taken, so a rule's broadcast is the same content
            // (and the same idempotency hash) whether or not other rules exist.
            var schools = left.Count == covers.Count ? [.. rule.Schools.Distinct(StringComparer.Ordinal)] : left;
            matches.Add(new CapMatch(rule, matched, schools, left));
        }

        return matches;
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
