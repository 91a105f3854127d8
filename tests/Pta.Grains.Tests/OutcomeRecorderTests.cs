using Microsoft.Extensions.Logging.Abstractions;
using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// The silo's group-committed way into the delivery ledger, on a real PostgreSQL: every outcome is in the ledger when
/// its caller hears so, concurrent shards share COPYs, and a ledger that fails is reported to every caller of the batch.
/// </summary>
public sealed class OutcomeRecorderTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync("recorder");

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Concurrent_outcomes_share_copies_and_each_is_in_the_ledger_when_its_caller_hears_so()
    {
        const int outcomes = 2000;
        await using var recorder = new OutcomeRecorder(new PostgresDeliveryLedger(_database.DataSource), NullLogger<OutcomeRecorder>.Instance);
        // Handed in as a silo's shards do, one by one as their sends return; each then waits for its own.
        var groups = Enumerable.Range(0, outcomes).Select(n =>
        {
            var group = new RecordingGroup();
            recorder.Record(Sent("bc-rec", n % 8, $"gi-{n:D5}-1"), group);
            return group;
        }).ToList();
        var sends = groups.Select(async (group, n) =>
        {
            await group.WhenRecordedAsync();
            return await _database.ScalarAsync("SELECT count(*) FROM pta_delivery_outcome WHERE recipient_key = $1", $"gi-{n:D5}-1");
        });

        var found = await Task.WhenAll(sends);

        Assert.All(found, rows => Assert.Equal(1, rows));
        Assert.True(recorder.Batches <= outcomes / 10, $"{recorder.Batches} COPYs for {outcomes} outcomes: not group-committed");
    }

    [Fact]
    public async Task A_shard_waits_once_for_all_its_outcomes_and_hears_of_a_ledger_that_cannot_be_written()
    {
        await using var working = new OutcomeRecorder(new PostgresDeliveryLedger(_database.DataSource), NullLogger<OutcomeRecorder>.Instance);
        await using var failing = new OutcomeRecorder(new FailingLedger(), NullLogger<OutcomeRecorder>.Instance);
        var written = new RecordingGroup();
        var lost = new RecordingGroup();
        for (var n = 0; n < 100; n++)
        {
            working.Record(Sent("bc-group", 0, $"gi-{n:D3}-1"), written);
            failing.Record(Sent("bc-fail", 0, $"gi-{n:D3}-1"), lost);
        }

        await written.WhenRecordedAsync();
        var stored = await _database.ScalarAsync("SELECT count(*) FROM pta_delivery_outcome WHERE broadcast_id = 'bc-group'");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => lost.WhenRecordedAsync());

        Assert.Equal(100, stored);
        Assert.Equal("the database is down", failure.Message);
        await new RecordingGroup().WhenRecordedAsync(); // nothing handed in: nothing to wait for
    }

    private static DeliveryOutcome Sent(string broadcast, int shard, string key) =>
        new(broadcast, shard, key, DeliveryStatus.Sent, 1, "250 ok", DateTimeOffset.UtcNow);

    private sealed class FailingLedger : IDeliveryLedger
    {
        public Task RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the database is down");

        public Task<IReadOnlySet<string>> SentKeysAsync(string broadcastId, int shardIndex, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<DeliveryOutcome>> ReadAsync(string broadcastId, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
