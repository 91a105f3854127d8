using Pta.Grains.Delivery;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// The fence against two activations of one delivery shard, on a real PostgreSQL with Orleans' membership table as the
/// production silos fill it: a holder on a live silo keeps its lease; the lease passes on when the cluster declares the
/// holder's silo dead, when the holder releases it, or when the holder stops renewing it.
/// </summary>
public sealed class ShardLeaseTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private PostgresTestDatabase _database = null!;
    private PostgresShardLeases _leases = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync("leases");
        _leases = new PostgresShardLeases(_database.DataSource);
        await ExecuteAsync("INSERT INTO orleansmembershipversiontable (deploymentid) VALUES ('lease-tests')");
        await AddSiloAsync(11111, Active);
        await AddSiloAsync(11112, Active);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task A_lease_held_on_a_live_silo_is_refused_to_a_second_activation_until_the_cluster_declares_that_silo_dead()
    {
        var first = Lease(11111);
        var second = Lease(11112);

        Assert.True(await _leases.ClaimAsync(first, Expiry, CancellationToken.None));
        Assert.True(await _leases.ClaimAsync(first, Expiry, CancellationToken.None)); // the holder again, after an error
        Assert.False(await _leases.ClaimAsync(second, Expiry, CancellationToken.None));
        Assert.True(await _leases.RenewAsync(first, CancellationToken.None));

        await ExecuteAsync($"UPDATE orleansmembershiptable SET status = {Dead} WHERE port = 11111");
        Assert.True(await _leases.ClaimAsync(second, Expiry, CancellationToken.None));
        Assert.False(await _leases.RenewAsync(first, CancellationToken.None)); // the first hears it has lost the lease
        Assert.False(await _leases.ClaimAsync(Lease(11111), Expiry, CancellationToken.None));
    }

    [Fact]
    public async Task A_released_lease_passes_on_at_once_and_one_no_longer_renewed_after_its_expiry()
    {
        var first = Lease(11111);
        var second = Lease(11112);
        var third = Lease(11111);

        Assert.True(await _leases.ClaimAsync(first, Expiry, CancellationToken.None));
        await _leases.ReleaseAsync(first, CancellationToken.None);
        Assert.True(await _leases.ClaimAsync(second, Expiry, CancellationToken.None));
        Assert.False(await _leases.ClaimAsync(third, Expiry, CancellationToken.None));

        await Task.Delay(TimeSpan.FromMilliseconds(1500)); // the second renews nothing meanwhile
        Assert.True(await _leases.ClaimAsync(third, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.False(await _leases.RenewAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_is_per_shard()
    {
        Assert.True(await _leases.ClaimAsync(Lease(11111), Expiry, CancellationToken.None));
        Assert.True(await _leases.ClaimAsync(Lease(11112) with { ShardIndex = 1 }, Expiry, CancellationToken.None));
        Assert.True(await _leases.ClaimAsync(Lease(11112) with { BroadcastId = "bc-other" }, Expiry, CancellationToken.None));
    }

    private static ShardLease Lease(int port) => new("bc-lease", 0, "127.0.0.1", port, 1, Guid.NewGuid());

    private Task AddSiloAsync(int port, int status) => ExecuteAsync(
        "INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status, starttime, iamalivetime) " +
        $"VALUES ('lease-tests', '127.0.0.1', {port}, 1, 'silo-{port}', 'localhost', {status}, now(), now())");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
