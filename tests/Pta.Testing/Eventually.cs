namespace Pta.Testing;

/// <summary>Bounded polling for things that happen in the background (reminders, shards): no sleep without a bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="phase"/> when it does not in time.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string phase, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = within ?? DefaultPatience;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Phase '{phase}': not reached within {limit}.");
            }

            await Task.Delay(50);
        }
    }
}
