using System.Security.Cryptography;
using System.Text;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Grains.Persistence;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// A database from before sealing existed, upgraded in place on the real PostgreSQL: the schema turns the audience's
/// text column into bytea without losing a row, old rows read as they are, and <c>reseal</c> brings every row to the
/// active key, also after a key rotation.
/// </summary>
public sealed class AtRestResealTests : IAsyncLifetime
{
    private const string Address = "hanako.legacy@ezweb.ne.jp";
    private const string BroadcastId = "bc-legacy";
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync("reseal");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_old_database_upgrades_in_place_and_reseal_leaves_no_plain_row_even_after_a_key_rotation()
    {
        // What the previous version left: a text address column with a row, a plain grain state, a reply and an
        // audit detail naming the address.
        await _database.ExecuteAsync("DROP TABLE pta_broadcast_recipient");
        await _database.ExecuteAsync("CREATE TABLE pta_broadcast_recipient (broadcast_id text NOT NULL, shard_index integer NOT NULL, " +
                           "position integer NOT NULL, recipient_key text NOT NULL, address text NOT NULL)");
        await _database.ExecuteAsync($"INSERT INTO pta_broadcast_recipient VALUES ('{BroadcastId}', 0, 0, 'g1-1', '{Address}')");
        await InsertStateAsync("guardian", "gd-1", $"{{\"a\":\"{Address}\"}}");
        await _database.ExecuteAsync("INSERT INTO pta_delivery_outcome (broadcast_id, shard_index, recipient_key, status, attempts, reply, recorded_at) " +
                           $"VALUES ('{BroadcastId}', 0, 'g1-1', 3, 1, '550 5.1.1 <{Address}>... Recipient address rejected', now())");
        await _database.ExecuteAsync($"INSERT INTO pta_audit_log (recorded_at, actor, action, subject, detail) VALUES (now(), 'k', 'x', 's', 'from {Address}')");
        await InsertStateAsync("address-owner", Ids.AddressKey(Address), null); // released under the old plain-hash key
        await InsertStateAsync("address-owner", Ids.AddressKey("other@docomo.ne.jp"), "gd-2"); // still owned: taken over on its next claim

        await DatabaseSchema.EnsureCreatedAsync(_database.ConnectionString); // the upgrade: the new version starts
        var key1 = RandomNumberGenerator.GetBytes(32);
        var key2 = RandomNumberGenerator.GetBytes(32);
        using var first = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = key1 }, 1);
        var readBeforeReseal = await new PostgresAudienceStore(_database.DataSource, first).LoadAsync(BroadcastId, 0, CancellationToken.None);
        var report = await new AtRestReseal(_database.DataSource, first).RunAsync();
        var again = await new AtRestReseal(_database.DataSource, first).RunAsync();

        using var rotated = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = key1, [2] = key2 }, 2);
        var afterRotation = await new AtRestReseal(_database.DataSource, rotated).RunAsync();
        using var onlyNewKey = new AtRestProtector(new Dictionary<byte, byte[]> { [2] = key2 }, 2);
        var readAfterRotation = await new PostgresAudienceStore(_database.DataSource, onlyNewKey).LoadAsync(BroadcastId, 0, CancellationToken.None);
        var state = await BytesAsync("SELECT payloadbinary FROM orleansstorage WHERE grainidextensionstring = 'gd-1'");

        Assert.Equal([new Recipient("g1-1", Address)], readBeforeReseal);
        Assert.Equal(new AtRestResealReport(2, 1, 1, 1, 1), report);
        Assert.Equal(new AtRestResealReport(0, 0, 0, 0, 0), again);
        Assert.Equal(new AtRestResealReport(2, 1, 0, 0, 0), afterRotation);
        Assert.Equal([new Recipient("g1-1", Address)], readAfterRotation);
        Assert.Equal((byte)2, AtRestProtector.KeyIdOf(state));
        Assert.Equal($"{{\"a\":\"{Address}\"}}", Encoding.UTF8.GetString(onlyNewKey.Open(state)));
        Assert.Equal(7, await _database.ScalarAsync("SELECT version FROM orleansstorage WHERE grainidextensionstring = 'gd-1'"));
        Assert.Equal(0, await _database.ScalarAsync("SELECT count(*) FROM pta_delivery_outcome WHERE reply LIKE '%hanako.legacy%'"));
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM pta_delivery_outcome WHERE reply LIKE '%h***@ezweb.ne.jp%'"));
        Assert.Equal(0, await _database.ScalarAsync("SELECT count(*) FROM pta_audit_log WHERE detail LIKE '%hanako.legacy%'"));
    }

    [Fact]
    public async Task The_production_stores_write_no_address_in_the_clear()
    {
        using var protector = TestAtRestKeys.Protector();
        await new PostgresAudienceStore(_database.DataSource, protector).SaveAsync(BroadcastId, [[new Recipient("g1-1", Address)]], CancellationToken.None);
        await new PostgresDeliveryLedger(_database.DataSource).RecordAsync(
            [new DeliveryOutcome(BroadcastId, 0, "g1-1", DeliveryStatus.InvalidAddress, 1, $"550 5.1.1 <{Address}>... Recipient address rejected", DateTimeOffset.UtcNow)],
            CancellationToken.None);
        await new PostgresAuditLog(_database.DataSource).RecordAsync(new AuditEntry(DateTimeOffset.UtcNow, "k", "x", "s", $"reason: wrong address {Address}"));

        Assert.Equal(0, await _database.ScalarAsync(
            "SELECT count(*) FROM pta_broadcast_recipient WHERE position($1::bytea in address) > 0", Encoding.UTF8.GetBytes(Address)));
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM pta_delivery_outcome WHERE reply = '550 5.1.1 <h***@ezweb.ne.jp>... Recipient address rejected'"));
        Assert.Equal(1, await _database.ScalarAsync("SELECT count(*) FROM pta_audit_log WHERE detail = 'reason: wrong address h***@ezweb.ne.jp'"));
    }

    // A grain state row as Orleans' ADO.NET storage writes one (version 7), with the payload as it is.
    private Task InsertStateAsync(string stateName, string key, string? payload) => _database.ExecuteAsync(
        "INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, modifiedon, version) " +
        "VALUES (hashtext($2), 0, 0, hashtext($1), $1, $2, 'pta', $3, now(), 7)",
        stateName, key, payload is null ? DBNull.Value : Encoding.UTF8.GetBytes(payload));

    private async Task<byte[]> BytesAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }
}
