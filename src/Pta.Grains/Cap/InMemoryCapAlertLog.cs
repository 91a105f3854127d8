using System.Collections.Concurrent;

namespace Pta.Grains.Cap;

/// <summary>The embedded default's alert log: gone when the process stops, like the broadcasts it points to.</summary>
public sealed class InMemoryCapAlertLog : ICapAlertLog
{
    private readonly ConcurrentDictionary<(string Board, string Sender, string Identifier), CapAlertRecord> _records = new();

    public Task<CapAlertRecord?> FindAsync(string boardId, string sender, string identifier, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue((boardId, sender, identifier), out var record) ? record : null);

    public Task<bool> AddAsync(CapAlertRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Task.FromResult(_records.TryAdd((record.BoardId, record.Sender, record.Identifier), record));
    }
}
