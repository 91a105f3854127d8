namespace Pta.Grains.Audit;

/// <summary>
/// The audit trail the PTA handbook (seed 003) asks for: every read of personal data by staff, and every
/// purge, recorded durably (PostgreSQL in production) so it can be shown on a disclosure request.
/// </summary>
public interface IAuditLog
{
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The entries about one subject, oldest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(string subject, CancellationToken cancellationToken = default);
}
