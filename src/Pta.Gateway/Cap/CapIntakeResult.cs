using Pta.Grains.Abstractions;

namespace Pta.Gateway.Cap;

/// <summary>
/// The answer to a CAP alert: what was done (or, for a Test, Exercise, System or Draft alert, what would have been
/// done: <see cref="DryRun"/>), by which rules (<see cref="Rule"/>: their names, comma-separated, in order), to which
/// broadcasts (one per acting rule).
/// <see cref="Action"/>: send, draft (a broadcast created), update (a waiting broadcast's text changed), replace (a
/// new broadcast because the referenced one had started and a sent mail cannot be edited), cancel, none (no rule
/// matched, or nothing referenced is known), ignored (Ack and Error messages).
/// <see cref="Broadcasts"/>: the broadcasts acted on, as they stand after the action; empty in a dry run.
/// <see cref="Addresses"/> and <see cref="Households"/>: in a dry run, the mails the rule's audience would receive
/// today (each address once) and the guardians with at least one broadcast address in it.
/// <see cref="Replayed"/>: the same alert was posted before; this is the earlier answer and nothing was done again.
/// </summary>
public sealed record CapIntakeResult(
    string Identifier,
    string Sender,
    string Status,
    string MsgType,
    string Action,
    bool DryRun,
    string? Rule,
    IReadOnlyList<string> BroadcastIds,
    IReadOnlyList<BroadcastView> Broadcasts,
    string Detail,
    int? Addresses = null,
    int? Households = null,
    bool Replayed = false);
