using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Pta.Testing;

namespace Pta.Gateway.Tests;

/// <summary>
/// Priority lanes end to end: a silo with a single SMTP connection is busy with a large info broadcast when an
/// emergency arrives; the emergency's messages take the connection as it frees up, ahead of the info mail that was
/// already waiting, so they reach the server back to back instead of one per queue turn.
/// </summary>
public sealed class PriorityTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private WebApplicationFactory<Program> _gateway = null!;
    private string _dataDirectory = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _dataDirectory = Directory.CreateTempSubdirectory("pta-priority-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["Pta:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Pta:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Host"] = "127.0.0.1",
            ["Pta:Smtp:Port"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Connections"] = "1",
            ["Pta:Delivery:ShardSize"] = "50",
            ["Pta:Delivery:ShardsInFlightPerSilo"] = "4",
            ["Pta:Delivery:Parallelism"] = "8",
            ["Pta:Demo:Seed"] = "false",
            ["Pta:DataDirectory"] = _dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        _ = _gateway.Server;
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_emergency_overtakes_the_info_mail_already_waiting_for_the_connection()
    {
        using var info = await CreateSchoolAsync("s-info", 1500);
        using var emergency = await CreateSchoolAsync("s-urgent", 10);

        using var infoResponse = await info.SendAsync(Requests.Post("s-info", Requests.Valid("info")));
        Assert.Equal(HttpStatusCode.Accepted, infoResponse.StatusCode);
        await _sink.WaitForAsync(100, TimeSpan.FromSeconds(60)); // the info broadcast is well under way
        using var urgentResponse = await emergency.SendAsync(Requests.Post("s-urgent", Requests.Valid("emergency")));
        Assert.Equal(HttpStatusCode.Accepted, urgentResponse.StatusCode);
        await _sink.WaitForAsync(m => m.MailFrom.Contains("s-urgent", StringComparison.Ordinal), 10, TimeSpan.FromSeconds(60));
        var messages = _sink.Messages().OrderBy(m => m.AcceptedAt).ToList();

        var urgent = messages.Where(IsUrgent).ToList();
        var first = messages.FindIndex(IsUrgent);
        var last = messages.FindLastIndex(IsUrgent);
        var infoBetween = messages.Skip(first).Take(last - first + 1).Count(m => !IsUrgent(m));
        var infoAfter = messages.Count - last - 1;

        // Four info shards keep 32 sends waiting for the one connection. Without lanes each emergency send would
        // queue behind them (31-33 info messages in between, measured); with lanes each takes the connection next, so
        // only a stray info message slips in while an emergency send is being composed: at most 4 on a quiet machine,
        // 8 once in the full suite at load ~15, when the emergency's eight parallel sends start staggered.
        Assert.Equal(10, urgent.Count);
        Assert.True(infoBetween <= 12, $"{infoBetween} info messages went out between the first and last emergency message");
        Assert.True(infoAfter > 0, "the info broadcast had finished: the emergency had nothing to overtake");
    }

    private static bool IsUrgent(SinkMessage message) => message.MailFrom.Contains("s-urgent", StringComparison.Ordinal);

    private Task<HttpClient> CreateSchoolAsync(string schoolId, int guardians) =>
        StandaloneSchool.CreateAsync(_gateway, "b-priority", schoolId, guardians);

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
