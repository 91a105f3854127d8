using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MimeKit;
using Pta.Gateway.Demo;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// The embedded default, as `dotnet run --project src/Pta.Gateway` starts it: no database, no mail server,
/// a seeded demo city, credentials in demo.json, and one .eml per recipient in the outbox.
/// Only the ports and the data folder differ, so the test does not touch the developer's .pta folder.
/// </summary>
public sealed class EmbeddedDefaultTests : IAsyncLifetime
{
    private string _dataDirectory = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public Task InitializeAsync()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("pta-embedded-").FullName;
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Pta:DataDirectory", _dataDirectory);
            web.UseSetting("Pta:Cluster:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("Pta:Cluster:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture));
        });
        _ = _gateway.Server;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_demo_city_is_seeded_and_a_broadcast_becomes_one_eml_file_per_recipient()
    {
        var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "demo.json"))).RootElement;
        var school = demo.GetProperty("schools")[0];
        var schoolId = school.GetProperty("id").GetString()!;
        using var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", school.GetProperty("token").GetString());

        using var health = await client.GetAsync("/health");
        using var response = await client.SendAsync(Requests.Post(schoolId, Requests.Valid()));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var view = await BroadcastPolling.WaitForStatusAsync(client, response.Headers.Location!.ToString());

        var roster = DemoCity.RosterOf(DemoCity.Schools.Single(s => s.SchoolId == schoolId));
        var expected = roster.Sum(r => r.BroadcastAddresses.Count);
        var files = Directory.GetFiles(Path.Combine(_dataDirectory, "outbox"), "*.eml");
        Assert.Equal(DemoCity.GuardiansPerSchool, roster.Count);
        Assert.Equal(expected, view.GetProperty("counts").GetProperty("sent").GetInt32());
        Assert.Equal(expected, files.Length);
        var recipients = files.Select(f => MimeMessage.Load(f)).Select(m => Assert.Single(m.To.Mailboxes).Address).ToHashSet();
        Assert.Equal(roster.SelectMany(r => r.BroadcastAddresses).ToHashSet(), recipients);
        Assert.Equal(3, demo.GetProperty("schools").GetArrayLength());
        Assert.StartsWith("pta.", demo.GetProperty("board").GetProperty("token").GetString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
