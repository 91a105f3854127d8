namespace Pta.Grains.Abstractions;

/// <summary>What became of a submission; the gateway maps each to an HTTP answer.</summary>
public enum SubmitOutcome
{
    /// <summary>New and committed: 202.</summary>
    Accepted = 0,

    /// <summary>Same Idempotency-Key, same content: the earlier broadcast, 202 again.</summary>
    AlreadyAccepted = 1,

    /// <summary>Same Idempotency-Key, other content: 422.</summary>
    KeyReusedWithOtherContent = 2,

    /// <summary>The school is not registered: 404.</summary>
    UnknownSchool = 3,

    /// <summary>The audience resolves to nobody: 422, nothing stored.</summary>
    NoRecipients = 4,

    /// <summary>
    /// The audience resolves to a single guardian: 422, nothing stored. Mail to one person is prohibited use of the
    /// broadcast service (seed 001 §8); that is a phone call or a letter.
    /// </summary>
    SingleGuardian = 5,
}

/// <summary>The outcome and, when there is one, the broadcast it refers to.</summary>
[GenerateSerializer, Immutable, Alias("pta.submit-result")]
public sealed record SubmitResult([property: Id(0)] SubmitOutcome Outcome, [property: Id(1)] BroadcastView? Broadcast);
