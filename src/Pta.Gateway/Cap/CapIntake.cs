using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pta.Gateway.Apis;
using Pta.Grains.Abstractions;
using Pta.Grains.Cap;

namespace Pta.Gateway.Cap;

/// <summary>
/// Acts on one actual CAP alert for one board, through the broadcast grain's own paths (submit, change, cancel):
/// there is no second way to send. The broadcast id is derived from (board, sender, identifier), so the same alert
/// posted twice, or retried after a failure, lands on the same broadcast grain and cannot make a second broadcast;
/// the alert log then records what was done, for the Updates and Cancels that reference it.
/// </summary>
internal sealed partial class CapIntake(
    IGrainFactory grains, ICapAlertLog log, IReadOnlyList<CapRule> rules, BoardProfile board, BroadcastActor actor, TimeProvider time, ILogger logger)
{
    private const string SentMailCannotChange =
        "The referenced broadcast had already started sending, and a sent mail cannot be edited: this update goes out as a new broadcast.";

    public async Task<IResult> ActAsync(CapAlert alert, CancellationToken cancellationToken)
    {
        if (await log.FindAsync(board.BoardId, alert.Sender, alert.Identifier, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(Result(alert, earlier.Action, earlier.Rule, await ViewsAsync(earlier.BroadcastIds),
                "This alert was taken before; nothing was done again.") with { Replayed = true });
        }

        return alert.MsgType switch
        {
            "Alert" => await CreateAsync(alert, cancellationToken),
            "Update" => await UpdateAsync(alert, cancellationToken),
            "Cancel" => await CancelAsync(alert, cancellationToken),
            _ => TypedResults.Ok(Result(alert, "ignored", null, [], $"A {alert.MsgType} message needs no broadcast.")),
        };
    }

    /// <summary>The broadcast ids this board's intake made from the alerts <paramref name="alert"/> references.</summary>
    public async Task<IReadOnlyList<string>> ReferencedAsync(CapAlert alert, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var reference in alert.References)
        {
            if (await log.FindAsync(board.BoardId, reference.Sender, reference.Identifier, cancellationToken) is { } record)
            {
                ids.AddRange(record.BroadcastIds.Where(id => !ids.Contains(id)));
            }
        }

        return ids;
    }

    private async Task<IResult> CreateAsync(CapAlert alert, CancellationToken cancellationToken, string? detail = null)
    {
        var made = await SubmitAllAsync(alert, decided: []);
        if (made.Unavailable is { } unavailable)
        {
            return unavailable;
        }

        if (made.Broadcasts.Count == 0)
        {
            return made.Refused.Count > 0
                ? made.Refused[0].Refusal
                : TypedResults.Ok(Result(alert, "none", null, [], "No rule of this board matches the alert; nothing was created."));
        }

        var sends = made.Broadcasts.Any(m => m.Match.Rule.Action == CapAction.Send);
        var action = alert.MsgType == "Update" ? "replace" : sends ? "send" : "draft";
        await RecordAsync(alert, action, made.RuleNames, [.. made.Broadcasts.Select(m => m.View.Id)], cancellationToken);
        detail ??= made.Broadcasts.Count == 1 && made.Refused.Count == 0
            ? made.Broadcasts[0].View.Status == BroadcastStatus.AwaitingApproval
                ? "A broadcast waits for a board administrator's approval (the board's approval queue)."
                : "A broadcast was accepted and is sending."
            : made.Describe();
        return TypedResults.Accepted($"/api/v1/broadcasts/{made.Broadcasts[0].View.Id}",
            Result(alert, action, made.RuleNames, [.. made.Broadcasts.Select(m => m.View)], detail));
    }

    /// <summary>
    /// One broadcast per acting rule, each on its own grain (<see cref="BroadcastId"/>), so a retried post finds every
    /// one already taken. Schools in <paramref name="decided"/> are left to no rule. Stops at the first 503, with
    /// nothing recorded: the same post again submits what is missing and finds the rest.
    /// </summary>
    private async Task<Submitted> SubmitAllAsync(CapAlert alert, IEnumerable<string> decided)
    {
        var matches = CapRuleMatcher.Match(alert, rules, board, decided);
        var submitted = new Submitted();
        for (var n = 0; n < matches.Count; n++)
        {
            var (refusal, view) = await SubmitAsync(alert, matches[n], n);
            if (refusal is IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable })
            {
                return submitted with { Unavailable = refusal };
            }

            if (refusal is not null)
            {
                submitted.Refused.Add((matches[n], refusal));
            }
            else
            {
                submitted.Broadcasts.Add((matches[n], view!));
            }
        }

        return submitted;
    }

    private sealed record Submitted(IResult? Unavailable = null)
    {
        public List<(CapMatch Match, BroadcastView View)> Broadcasts { get; init; } = [];

        public List<(CapMatch Match, IResult Refusal)> Refused { get; init; } = [];

        public string? RuleNames => Broadcasts.Count == 0 ? null : string.Join(", ", Broadcasts.Select(m => m.Match.Rule.Name));

        public string Describe() => string.Join(" ", Broadcasts.Select(m => m.View.Status == BroadcastStatus.AwaitingApproval
                ? $"Rule '{m.Match.Rule.Name}': {m.View.Id} waits for approval ({Schools(m.Match)})."
                : $"Rule '{m.Match.Rule.Name}': {m.View.Id} is sending ({Schools(m.Match)}).")
            .Concat(Refused.Select(r => $"Rule '{r.Match.Rule.Name}' made nothing: {Reason(r.Refusal)}")));
    }

    private static string Schools(CapMatch match) => match.Reaches.Count == 1 ? "1 school" : $"{match.Reaches.Count} schools";

    private static string Reason(IResult refusal) =>
        refusal is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem ? problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "refused" : "refused";

    private async Task<IResult> UpdateAsync(CapAlert alert, CancellationToken cancellationToken)
    {
        var referenced = await ViewsAsync(await ReferencedAsync(alert, cancellationToken));
        if (referenced.Count == 0)
        {
            // An update of an alert this board did not act on (no rule matched it then) is new to the board.
            return await CreateAsync(alert, cancellationToken);
        }

        var waiting = referenced.Where(v => v.Status is BroadcastStatus.AwaitingApproval or BroadcastStatus.Scheduled).ToList();
        if (waiting.Count == 0)
        {
            var running = referenced.Where(v => v.Status is BroadcastStatus.Accepted or BroadcastStatus.Sending).ToList();
            var replaced = await CreateAsync(alert, cancellationToken, SentMailCannotChange +
                (running.Count > 0 ? " The earlier broadcast was cancelled for those it had not reached yet." : ""));
            if (replaced is Microsoft.AspNetCore.Http.HttpResults.Accepted<CapIntakeResult>)
            {
                foreach (var view in running)
                {
                    await grains.GetGrain<IBroadcastGrain>(view.Id).CancelAsync(actor);
                }
            }

            return replaced;
        }

        if ((CapRuleMatcher.Match(alert, rules, board).FirstOrDefault()?.Info ?? CapRuleMatcher.PreferredInfo(alert)) is not { } info)
        {
            return TypedResults.Ok(Result(alert, "none", null, waiting, "The update carries no info block: the waiting broadcast is unchanged."));
        }

        var (subject, body) = CapBroadcastText.Of(alert, info);
        var changed = new List<BroadcastView>();
        foreach (var view in waiting)
        {
            var result = await grains.GetGrain<IBroadcastGrain>(view.Id).ChangeAsync(actor, new BroadcastChange(null, subject, body));
            changed.Add(result.Broadcast ?? view);
        }

        const string Changed = "The waiting broadcast now has the update's text; it still waits as it did.";
        var started = referenced.Where(v => !waiting.Contains(v)).ToList();
        if (started.Count == 0)
        {
            await RecordAsync(alert, "update", null, [.. changed.Select(v => v.Id)], cancellationToken);
            return TypedResults.Ok(Result(alert, "update", null, changed, Changed));
        }

        // Two rules made the alert's broadcasts and one of them has mailed already: its schools get the update as a
        // new broadcast (the waiting ones' schools are left out: their broadcast has the new text).
        var made = await SubmitAllAsync(alert, decided: waiting.SelectMany(SchoolsOf));
        if (made.Unavailable is { } unavailable)
        {
            return unavailable; // the texts changed stay changed; the same post again changes them to the same
        }

        foreach (var view in made.Broadcasts.Count > 0 ? started.Where(v => v.Status is BroadcastStatus.Accepted or BroadcastStatus.Sending) : [])
        {
            await grains.GetGrain<IBroadcastGrain>(view.Id).CancelAsync(actor);
        }

        IReadOnlyList<BroadcastView> views = [.. changed, .. made.Broadcasts.Select(m => m.View)];
        await RecordAsync(alert, "update", made.RuleNames, [.. views.Select(v => v.Id)], cancellationToken);
        var answer = Result(alert, "update", made.RuleNames, views, made.Broadcasts.Count == 0
            ? $"{Changed} {made.Describe()}".TrimEnd()
            : $"{Changed} {SentMailCannotChange} {made.Describe()}");
        return made.Broadcasts.Count > 0
            ? TypedResults.Accepted($"/api/v1/broadcasts/{made.Broadcasts[0].View.Id}", answer)
            : TypedResults.Ok(answer);
    }

    /// <summary>A broadcast's schools: those it names, or the whole board's.</summary>
    private IEnumerable<string> SchoolsOf(BroadcastView view) =>
        view.SchoolIds is { Count: > 0 } schools ? schools : view.SchoolId is { } school ? [school] : board.SchoolIds;

    private async Task<IResult> CancelAsync(CapAlert alert, CancellationToken cancellationToken)
    {
        var ids = await ReferencedAsync(alert, cancellationToken);
        if (ids.Count == 0)
        {
            return TypedResults.Ok(Result(alert, "none", null, [], "No broadcast of this board came from the referenced alerts; nothing to cancel."));
        }

        var views = new List<BroadcastView>();
        foreach (var id in ids)
        {
            // A broadcast that has finished (or was cancelled already) answers WrongState: it stays as it is.
            var result = await grains.GetGrain<IBroadcastGrain>(id).CancelAsync(actor);
            views.Add(result.Broadcast ?? (await grains.GetGrain<IBroadcastGrain>(id).GetAsync())!);
        }

        await RecordAsync(alert, "cancel", null, ids, cancellationToken);
        return TypedResults.Ok(Result(alert, "cancel", null, views,
            "Cancelled: nobody not yet sent to is sent to. A broadcast that had finished stays as it was."));
    }

    /// <summary>Submits through the broadcast grain; an answer instead of a view when it refused or could not be reached.</summary>
    private async Task<(IResult? Refusal, BroadcastView? View)> SubmitAsync(CapAlert alert, CapMatch match, int ordinal)
    {
        var (rule, info) = (match.Rule, match.Info);
        var (subject, body) = CapBroadcastText.Of(alert, info);
        BroadcastRequestValidator.TryParseCategory(rule.Category, out var category);
        var schools = match.Schools.Order(StringComparer.Ordinal).ToList();
        var hold = rule.Action == CapAction.Draft;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { subject, body, category, schools, hold }))));
        var submission = new BroadcastSubmission(
            null, subject, body, category, Audience.WholeSchool, hash, actor.KeyId, time.GetUtcNow(), BoardId: board.BoardId, SchoolIds: schools)
            with { Submitter = actor, HoldForApproval = hold };
        var id = BroadcastId(board.BoardId, alert.Sender, alert.Identifier, ordinal);
        SubmitResult result;
        try
        {
            result = await grains.GetGrain<IBroadcastGrain>(id).SubmitAsync(submission);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSubmitFailed(logger, ex, id);
            return (TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable",
                detail: "The broadcast was not accepted. Post the same alert again."), null);
        }

        return result.Outcome switch
        {
            SubmitOutcome.Accepted or SubmitOutcome.AlreadyAccepted => (null, result.Broadcast),
            SubmitOutcome.KeyReusedWithOtherContent => (TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Identifier reused",
                detail: "An alert with this sender and identifier was taken before with other content (or the rule changed since)."), null),
            SubmitOutcome.UnknownSchool => (Problems.Unprocessable("Rule names an unknown school",
                $"Rule '{rule.Name}' names a school that is not one of board {board.BoardId}'s.", "rule"), null),
            _ => (Problems.Unprocessable("No recipients",
                $"Rule '{rule.Name}' reaches nobody, or a single guardian only, with a broadcast address; nothing was created.", "rule"), null),
        };
    }

    /// <summary>"cap/" keeps these ids apart from the board's own Idempotency-Keys ("board/") and its schools'.</summary>
    /// <summary>The first rule's broadcast has the alert's own id; a further rule's (the <paramref name="ordinal"/>-th match) its own.</summary>
    internal static string BroadcastId(string boardId, string sender, string identifier, int ordinal = 0) =>
        Ids.BroadcastId($"cap/{boardId}", ordinal == 0 ? $"{sender}\n{identifier}" : $"{sender}\n{identifier}\n{ordinal}");

    private Task RecordAsync(CapAlert alert, string action, string? rule, IReadOnlyList<string> broadcastIds, CancellationToken cancellationToken) =>
        log.AddAsync(new CapAlertRecord(board.BoardId, alert.Sender, alert.Identifier, alert.Sent, alert.MsgType, action, rule, broadcastIds, time.GetUtcNow()),
            cancellationToken);

    private async Task<IReadOnlyList<BroadcastView>> ViewsAsync(IEnumerable<string> ids)
    {
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IBroadcastGrain>(id).GetAsync()));
        return [.. views.OfType<BroadcastView>()];
    }

    internal static CapIntakeResult Result(CapAlert alert, string action, string? rule, IReadOnlyList<BroadcastView> views, string detail) =>
        new(alert.Identifier, alert.Sender, alert.Status, alert.MsgType, action, !alert.IsActual, rule, [.. views.Select(v => v.Id)], views, detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "CAP broadcast {BroadcastId} could not be committed")]
    private static partial void LogSubmitFailed(ILogger logger, Exception exception, string broadcastId);
}
