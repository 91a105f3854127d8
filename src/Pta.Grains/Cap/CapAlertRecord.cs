namespace Pta.Grains.Cap;

/// <summary>
/// What intake did with one CAP alert for one board: the broadcasts it created, changed or cancelled. Keyed by
/// (board, sender, identifier), which CAP makes unique per alert; a later Update or Cancel finds its broadcasts here
/// through its <c>references</c>, and the same alert posted again finds the answer it had. <see cref="Action"/> is
/// send, draft, update, replace or cancel; <see cref="Rule"/> is null when the alert acted on what it referenced.
/// </summary>
public sealed record CapAlertRecord(
    string BoardId,
    string Sender,
    string Identifier,
    DateTimeOffset Sent,
    string MsgType,
    string Action,
    string? Rule,
    IReadOnlyList<string> BroadcastIds,
    DateTimeOffset RecordedAt);
