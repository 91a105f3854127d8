using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pta.Gateway.Access;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>A school of docomo guardians in a gateway a test started itself, and an HTTP client with its staff credential.</summary>
public static class StandaloneSchool
{
    public static async Task<HttpClient> CreateAsync(WebApplicationFactory<Program> gateway, string boardId, string schoolId, int guardians)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var grains = gateway.Services.GetRequiredService<IGrainFactory>();
        var school = new SchoolProfile(schoolId, boardId, "テスト小学校", $"{schoolId}@mail.test-city.example", "テスト小学校");
        await grains.GetGrain<ISchoolGrain>(schoolId).ConfigureAsync(school);
        await grains.GetGrain<ISchoolGrain>(schoolId).ReplaceRosterAsync(
            [.. Enumerable.Range(0, guardians).Select(n => new RosterEntry($"g{n:D4}", n % 6 + 1, "1", [$"{schoolId}.p{n:D4}@docomo.ne.jp"]))]);
        var token = await ApiCredentials.IssueAsync(grains, CredentialRole.School, boardId, schoolId, "staff");
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
