namespace Pta.Benchmarks.Chaos;

/// <summary>
/// One <c>kill -9</c> of the chaos run: which silo, when (UTC, just before the signal), and, as the membership table
/// showed them, how long until the cluster declared that silo generation dead and until its restart was active.
/// </summary>
public sealed class KillRecord(int number, int siloIndex, MembershipRow victim, DateTime killedAt)
{
    public int Number { get; } = number;

    public int SiloIndex { get; } = siloIndex;

    /// <summary>The killed generation's membership row, as it was just before the kill.</summary>
    public MembershipRow Victim { get; } = victim;

    public DateTime KilledAt { get; } = killedAt;

    /// <summary>Seconds from the kill until the killed generation's row said Dead; null if not seen within the watch.</summary>
    public double? DeclaredDeadAfter { get; set; }

    /// <summary>Seconds from the kill until the restarted process's row said Active; null if not seen within the watch.</summary>
    public double? ReplacementActiveAfter { get; set; }
}
