using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pta.Gateway.Access;
using Pta.Gateway.Apis;
using Pta.Grains.Registration;
using Pta.Grains.Abstractions;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Demo;

/// <summary>
/// Seeds the demo city once the silo is up, issues fresh credentials, prints them and writes them to
/// <c>.pta/demo.json</c>. Runs in the embedded default, or anywhere <c>Pta:Demo:Seed</c> is true.
/// </summary>
public sealed partial class DemoSeeder(
    IGrainFactory grains,
    IConfiguration configuration,
    IHostEnvironment environment,
    IOptions<GatewayOptions> options,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await grains.GetGrain<IBoardGrain>(DemoCity.BoardId).ConfigureAsync(DemoCity.Board);
        var boardToken = await ApiCredentials.IssueAsync(grains, CredentialRole.Board, DemoCity.BoardId, null, "demo board administrator");
        var boardOperatorToken = await ApiCredentials.IssueAsync(grains, CredentialRole.BoardOperator, DemoCity.BoardId, null, "demo board operator");
        var schools = new List<object>();
        foreach (var school in DemoCity.Schools)
        {
            var grain = grains.GetGrain<ISchoolGrain>(school.SchoolId);
            await grain.ConfigureAsync(school);
            var roster = DemoCity.RosterOf(school);
            await grain.ReplaceRosterAsync(roster);
            var token = await ApiCredentials.IssueAsync(grains, CredentialRole.School, DemoCity.BoardId, school.SchoolId, $"demo principal of {school.SchoolId}");
            var operatorToken = await ApiCredentials.IssueAsync(grains, CredentialRole.Operator, DemoCity.BoardId, school.SchoolId, $"demo operator of {school.SchoolId}");
            var authCode = RosterApi.NewCode();
            await grain.SetAuthCodeAsync(SHA256.HashData(Encoding.UTF8.GetBytes(authCode)));
            schools.Add(new
            {
                id = school.SchoolId,
                name = school.Name,
                guardians = roster.Count,
                token,
                operatorToken,
                registrationAddress = RegistrationAddress.For(school),
                authCode,
            });
        }

        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var demo = new
        {
            gateway = baseUrl,
            board = new { id = DemoCity.BoardId, token = boardToken, operatorToken = boardOperatorToken },
            schools,
            example = $"curl -X POST {baseUrl}/api/v1/schools/{DemoCity.Schools[0].SchoolId}/broadcasts " +
                      "-H 'Authorization: Bearer <school token>' -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' " +
                      "-d '{\"subject\":\"臨時休校のお知らせ\",\"body\":\"本日は台風のため臨時休校とします。\",\"category\":\"emergency\"}'",
        };
        var directory = DataDirectory.Resolve(configuration, environment);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "demo.json");
        var json = JsonSerializer.Serialize(demo, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await File.WriteAllTextAsync(path, json, cancellationToken);
        LogSeeded(logger, path, json);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo city seeded (credentials also written to {Path}):\n{Credentials}")]
    private static partial void LogSeeded(ILogger logger, string path, string credentials);
}
