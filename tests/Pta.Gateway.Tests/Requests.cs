using System.Net.Http.Json;
using System.Text;

namespace Pta.Gateway.Tests;

/// <summary>Builds broadcast requests the way a school's system would send them.</summary>
public static class Requests
{
    public const string Subject = "【緊急】臨時休校のお知らせ";
    public const string Body = "保護者各位\n本日は台風接近のため臨時休校とします。\n児童は自宅で待機させてください。\nデモ市立第一小学校";

    public static object Valid(string category = "emergency", object? audience = null) =>
        new { subject = Subject, body = Body, category, audience };

    public static HttpRequestMessage Post(string schoolId, object? json, string? idempotencyKey = null) =>
        Post(schoolId, json is null ? null : JsonContent.Create(json), idempotencyKey ?? Guid.NewGuid().ToString());

    public static HttpRequestMessage Post(string schoolId, HttpContent? content, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/schools/{schoolId}/broadcasts") { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static HttpContent RawJson(string json) => new StringContent(json, Encoding.UTF8, "application/json");
}
