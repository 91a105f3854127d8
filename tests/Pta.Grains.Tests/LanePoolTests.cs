using Pta.Grains.Delivery;

namespace Pta.Grains.Tests;

/// <summary>The connection pool's lanes: urgent mail gets the next free connection before routine mail already waiting.</summary>
public sealed class LanePoolTests
{
    private sealed class Connection;

    [Fact]
    public async Task A_returned_connection_goes_to_the_urgent_waiter_even_if_routine_mail_waited_longer()
    {
        var pool = new LanePool<Connection>(capacity: 1, lanes: 3);
        var held = await pool.RentAsync((int)SendLane.Routine, CancellationToken.None);
        var test = pool.RentAsync((int)SendLane.Test, CancellationToken.None).AsTask();
        var routine = pool.RentAsync((int)SendLane.Routine, CancellationToken.None).AsTask();
        var urgent = pool.RentAsync((int)SendLane.Urgent, CancellationToken.None).AsTask();

        pool.Return(held);
        await urgent.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(routine.IsCompleted);
        Assert.False(test.IsCompleted);

        pool.Return(await urgent);
        await routine.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(test.IsCompleted);

        pool.Return(await routine);
        await test.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_open_connection_is_reused_before_an_empty_slot_even_when_a_broken_one_came_back_last()
    {
        // Two connections open, one broken (returned as an empty slot) after them: the next rent must get an open one,
        // or a carrier that counts the idle open ones as sessions refuses every new connection.
        var pool = new LanePool<Connection>(capacity: 3, lanes: 3);
        var first = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None) ?? new Connection();
        var second = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None) ?? new Connection();
        _ = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None);
        pool.Return(first);
        pool.Return(second);
        pool.Return(null); // the third broke and was closed

        var next = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None);
        var after = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None);
        var last = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None);

        Assert.Same(second, next);
        Assert.Same(first, after);
        Assert.Null(last); // the empty slot still counts: capacity is kept
        Assert.False(pool.RentAsync((int)SendLane.Urgent, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_waiter_is_skipped_and_the_connection_is_not_lost()
    {
        var pool = new LanePool<Connection>(capacity: 1, lanes: 3);
        var held = await pool.RentAsync((int)SendLane.Urgent, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = pool.RentAsync((int)SendLane.Urgent, cancel.Token).AsTask();
        var routine = pool.RentAsync((int)SendLane.Routine, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        pool.Return(held);

        await routine.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, pool.Waiting((int)SendLane.Urgent));
    }
}
