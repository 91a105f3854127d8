using System.Net.Http.Json;
using System.Text.Json;

namespace Pta.Testing;

/// <summary>Polls a broadcast's location until it reaches a status, within a bound; the timeout names the phase.</summary>
public static class BroadcastPolling
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(60);

    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string location, string status = "completed", TimeSpan? patience = null)
    {
        var limit = patience ?? DefaultPatience;
        var deadline = DateTime.UtcNow + limit;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>(location);
            if (last.GetProperty("status").GetString() == status)
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Phase 'sending': {location} did not reach '{status}' within {limit}; last: {last}");
    }
}
