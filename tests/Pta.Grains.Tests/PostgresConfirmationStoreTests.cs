using Microsoft.Extensions.Logging.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>The group-committed store on a real PostgreSQL: one row per household, first click kept, nothing lost.</summary>
public sealed class PostgresConfirmationStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private PostgresTestDatabase _database = null!;
    private PostgresConfirmationStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("confirm");
        _store = new PostgresConfirmationStore(_database.DataSource, NullLogger<PostgresConfirmationStore>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Thousands_of_concurrent_clicks_are_all_stored_and_each_caller_hears_it_only_after_its_row_is_there()
    {
        const int households = 5000;
        var clicks = Enumerable.Range(0, households)
            .Select(async n =>
            {
                var first = await _store.RecordAsync(Click("bc-a", $"gi-{n:D6}", 1, Start.AddMilliseconds(n)), CancellationToken.None);
                var stored = await _database.ScalarAsync("SELECT count(*) FROM pta_confirmation WHERE broadcast_id = 'bc-a' AND household = $1", $"gi-{n:D6}");
                return (first, stored);
            })
            .ToList();
        var results = await Task.WhenAll(clicks);

        Assert.All(results, r => Assert.True(r.first && r.stored == 1));
        Assert.Equal(households, await _database.ScalarAsync("SELECT count(*) FROM pta_confirmation WHERE broadcast_id = 'bc-a'"));
        Assert.True(_store.Batches <= households / 10, $"{_store.Batches} statements for {households} clicks: not group-committed");
    }

    [Fact]
    public async Task Both_addresses_of_a_household_clicking_at_once_and_again_later_leave_one_row_the_first_click()
    {
        var together = await Task.WhenAll(
            _store.RecordAsync(Click("bc-b", "gd-01", 1, Start), CancellationToken.None),
            _store.RecordAsync(Click("bc-b", "gd-01", 2, Start.AddSeconds(1)), CancellationToken.None));
        var later = await _store.RecordAsync(Click("bc-b", "gd-01", 2, Start.AddMinutes(5)), CancellationToken.None);
        var otherBroadcast = await _store.RecordAsync(Click("bc-c", "gd-01", 2, Start.AddMinutes(6)), CancellationToken.None);

        var stored = Assert.Single(await _store.ReadAsync("bc-b", CancellationToken.None));
        Assert.Equal([true, false], together);
        Assert.False(later);
        Assert.True(otherBroadcast);
        Assert.Equal(Click("bc-b", "gd-01", 1, Start), stored);
    }

    [Fact]
    public async Task A_failed_batch_fails_its_callers_and_a_disposed_store_refuses_new_clicks()
    {
        await using (var command = _database.DataSource.CreateCommand("ALTER TABLE pta_confirmation RENAME TO pta_confirmation_away"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var failed = await Record.ExceptionAsync(() => _store.RecordAsync(Click("bc-d", "gd-02", 1, Start), CancellationToken.None));

        await using (var command = _database.DataSource.CreateCommand("ALTER TABLE pta_confirmation_away RENAME TO pta_confirmation"))
        {
            await command.ExecuteNonQueryAsync();
        }

        Assert.IsAssignableFrom<Npgsql.PostgresException>(failed);
        Assert.True(await _store.RecordAsync(Click("bc-d", "gd-02", 1, Start), CancellationToken.None));
        await _store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.RecordAsync(Click("bc-d", "gd-03", 1, Start), CancellationToken.None));
    }

    private static ConfirmationRecord Click(string broadcastId, string household, int slot, DateTimeOffset at) =>
        new(broadcastId, household, $"{household}-{slot}", at);
}
