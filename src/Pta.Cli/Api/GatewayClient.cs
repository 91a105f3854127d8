using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pta.Cli.Api;

/// <summary>
/// The gateway's REST API as the CLI uses it: JSON reads, the broadcast POST with its Idempotency-Key, and raw
/// streams (CSV, server-sent events). Every answer that is not a success becomes a <see cref="CliFailure"/> carrying
/// the gateway's problem document; a gateway that cannot be reached becomes one with <see cref="ExitCodes.Unreachable"/>.
/// </summary>
internal sealed class GatewayClient(HttpClient http) : IDisposable
{
    /// <summary>The gateway's JSON: camelCase names and enums (GatewayHostingExtensions configures the same).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseAddress => http.BaseAddress!;

    public static GatewayClient Create(Uri gateway, string token, HttpMessageHandler? handler)
    {
        // The SSE stream outlives any fixed timeout; each call bounds itself with its cancellation token instead.
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = gateway;
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("pta-cli", "1"));
        return new GatewayClient(http);
    }

    public async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadJsonAsync<T>(response, cancellationToken);
    }

    /// <summary>POSTs a broadcast; the key makes a retry of the same command return the same broadcast, never a second one.</summary>
    public async Task<T> PostJsonAsync<T>(string path, JsonObject body, string idempotencyKey, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadJsonAsync<T>(response, cancellationToken);
    }

    /// <summary>Opens a streamed answer (CSV, <c>text/event-stream</c>); the caller disposes the response.</summary>
    public Task<HttpResponseMessage> OpenAsync(string path, string accept, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await http.SendAsync(request, completion, cancellationToken);
            }
        }
        catch (HttpRequestException ex)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"The gateway at {http.BaseAddress} cannot be reached: {ex.Message}", inner: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw CliFailure.From(ApiProblem.Parse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new JsonException("empty answer");
        }
        catch (JsonException ex)
        {
            throw new CliFailure(ExitCodes.ApiProblem, $"The gateway's answer to {response.RequestMessage?.RequestUri} is not what the CLI expects: {ex.Message}", inner: ex);
        }
    }
}
