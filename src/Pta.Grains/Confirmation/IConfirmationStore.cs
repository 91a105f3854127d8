namespace Pta.Grains.Confirmation;

/// <summary>
/// Read confirmations (受信確認), one per household and broadcast: either of a guardian's two broadcast addresses
/// confirms for the household (seed 004). PostgreSQL in production (group-committed: 100,000 guardians click
/// within minutes of a city-wide alert), memory in the embedded default.
/// </summary>
public interface IConfirmationStore
{
    /// <summary>
    /// Records a confirmation durably before it returns. True when it is the household's first for that broadcast;
    /// false when the household had already confirmed (the first one is kept).
    /// </summary>
    Task<bool> RecordAsync(ConfirmationRecord confirmation, CancellationToken cancellationToken);

    /// <summary>Every household's (first) confirmation of a broadcast, oldest first.</summary>
    Task<IReadOnlyList<ConfirmationRecord>> ReadAsync(string broadcastId, CancellationToken cancellationToken);
}

/// <summary>
/// One household's confirmation: <see cref="Household"/> is the guardian id, <see cref="RecipientKey"/> the address
/// slot that clicked (<c>guardian-slot</c>, as in the frozen audience).
/// </summary>
public sealed record ConfirmationRecord(string BroadcastId, string Household, string RecipientKey, DateTimeOffset At);
