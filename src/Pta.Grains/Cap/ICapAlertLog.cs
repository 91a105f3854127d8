namespace Pta.Grains.Cap;

/// <summary>
/// The CAP identifier → broadcast mapping: PostgreSQL (<c>pta_cap_alert</c>) in production, so every gateway finds
/// what another one created; memory in the embedded default.
/// </summary>
public interface ICapAlertLog
{
    /// <summary>The record of an alert, or null when this board's intake has not acted on it.</summary>
    Task<CapAlertRecord?> FindAsync(string boardId, string sender, string identifier, CancellationToken cancellationToken = default);

    /// <summary>Records an alert; a record already there for the same key is kept (first writer wins) and returned false.</summary>
    Task<bool> AddAsync(CapAlertRecord record, CancellationToken cancellationToken = default);
}
