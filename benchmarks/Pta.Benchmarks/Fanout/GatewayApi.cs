using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pta.Benchmarks.Fanout;

/// <summary>The gateway's REST API as the benchmark uses it, with the demo board's credential.</summary>
public sealed partial class GatewayApi(Uri baseAddress, string boardToken) : IDisposable
{
    public const string Board = "demo-city";

    private readonly HttpClient _http = new()
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(30), // the city-wide CSV import of a million rows is one request
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", boardToken) },
    };

    /// <summary>The board credential the demo seeder wrote to <c>demo.json</c> once the gateway was up.</summary>
    public static string ReadBoardToken(string demoJsonPath)
    {
        using var demo = JsonDocument.Parse(File.ReadAllText(demoJsonPath));
        return demo.RootElement.GetProperty("board").GetProperty("token").GetString()
               ?? throw new InvalidOperationException("demo.json has no board token");
    }

    public async Task PutSchoolAsync(string schoolId, int number, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            name = $"ベンチ市立第{number}小学校",
            senderAddress = $"{schoolId}@mail.demo-city.example",
            senderName = $"第{number}小学校",
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync(new Uri($"api/v1/boards/{Board}/schools/{schoolId}", UriKind.Relative), content, cancellationToken);
        await EnsureAsync(response, $"PUT school {schoolId}", cancellationToken);
    }

    /// <summary>POSTs the city CSV to the board's bulk roster endpoint; returns the children it reports.</summary>
    public async Task<int> ImportRosterAsync(byte[] csv, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await _http.PostAsync(new Uri($"api/v1/boards/{Board}/roster", UriKind.Relative), content, cancellationToken);
        await EnsureAsync(response, "POST roster", cancellationToken);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return result.RootElement.GetProperty("children").GetInt32();
    }

    /// <summary>Whether this gateway has the board-wide broadcast route (issue 4); older ones send school by school.</summary>
    public async Task<bool> HasBoardBroadcastsAsync(CancellationToken cancellationToken)
    {
        var openApi = await _http.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative), cancellationToken);
        return BoardBroadcastRoute().IsMatch(openApi);
    }

    /// <summary>
    /// Submits a broadcast and notes the moment its 202 arrived (wall clock, to compare with the sink's file times).
    /// </summary>
    public async Task<SubmittedBroadcast> SubmitAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", $"fanout-{Guid.NewGuid():N}");
        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var acceptedAt = DateTimeOffset.UtcNow;
        watch.Stop();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {problem}");
        }

        var view = await ReadViewAsync(response, cancellationToken);
        return new SubmittedBroadcast(view.Id, acceptedAt, watch.Elapsed, view.Recipients);
    }

    public async Task<BroadcastProgress> GetAsync(string broadcastId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/broadcasts/{broadcastId}", UriKind.Relative), cancellationToken);
        await EnsureAsync(response, $"GET broadcast {broadcastId}", cancellationToken);
        return await ReadViewAsync(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<BroadcastProgress> ReadViewAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = view.RootElement;
        var counts = root.GetProperty("counts");
        return new BroadcastProgress(
            root.GetProperty("id").GetString() ?? string.Empty,
            root.GetProperty("status").GetString() ?? string.Empty,
            counts.GetProperty("recipients").GetInt32(),
            counts.GetProperty("sent").GetInt32(),
            counts.GetProperty("deferred").GetInt32(),
            counts.GetProperty("failed").GetInt32());
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{what} answered {(int)response.StatusCode}: {body}"));
        }
    }

    [GeneratedRegex("\"/api/v1/boards/\\{[A-Za-z]+\\}/broadcasts\"")]
    private static partial Regex BoardBroadcastRoute();
}

/// <summary>A broadcast the gateway accepted, and when its 202 reached the benchmark.</summary>
public sealed record SubmittedBroadcast(string Id, DateTimeOffset AcceptedAt, TimeSpan SubmitTime, int Recipients);

/// <summary>GET /api/v1/broadcasts/{id}: status and counts.</summary>
public sealed record BroadcastProgress(string Id, string Status, int Recipients, int Sent, int Deferred, int Failed)
{
    public bool IsComplete => Status == "completed";
}
