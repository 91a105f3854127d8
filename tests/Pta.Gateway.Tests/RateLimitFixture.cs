using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Pta.Gateway.Tests;

/// <summary>
/// A gateway of its own (database, smtp-sink, mailbox) with rate limits low enough to reach in a test, and clients
/// that each come from an address of their own (<see cref="TestClientAddress"/>). Its own collection, so the main
/// fixture's tests keep the production defaults.
/// </summary>
public sealed class RateLimitFixture : GatewayFixture
{
    public const int RegistrationPerAddress = 5;
    public const int ConfirmationPerAddress = 4;
    public const int ConfirmationPerBroadcast = 8;
    public const int FilesPerAddress = 3;
    public static readonly TimeSpan FilesWindow = TimeSpan.FromSeconds(3);
    public const int BlankMailPerSender = 3;
    public const int BlankMailPerSchool = 6;

    private int _lastAddress;

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => new Dictionary<string, string>
    {
        ["Pta:RateLimits:Registration:PerAddress:PermitLimit"] = Invariant(RegistrationPerAddress),
        ["Pta:RateLimits:Confirmation:PerAddress:PermitLimit"] = Invariant(ConfirmationPerAddress),
        ["Pta:RateLimits:Confirmation:PerBroadcast:PermitLimit"] = Invariant(ConfirmationPerBroadcast),
        ["Pta:RateLimits:Files:PerAddress:PermitLimit"] = Invariant(FilesPerAddress),
        ["Pta:RateLimits:Files:PerAddress:Window"] = FilesWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Pta:RateLimits:BlankMail:PerSender:PermitLimit"] = Invariant(BlankMailPerSender),
        ["Pta:RateLimits:BlankMail:PerSchool:PermitLimit"] = Invariant(BlankMailPerSchool),
    };

    /// <summary>A client address no other client of this fixture has had (10.0.0.0/8).</summary>
    public string NewAddress()
    {
        var n = Interlocked.Increment(ref _lastAddress);
        return $"10.{(n >> 16) & 0xff}.{(n >> 8) & 0xff}.{n & 0xff}";
    }

    /// <summary>An HTTP client whose requests come from <paramref name="address"/>, with a credential if given.</summary>
    public HttpClient From(string address, string? token = null)
    {
        var client = token is null ? Anonymous() : WithToken(token);
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return client;
    }

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddTransient<IStartupFilter, TestClientAddress>();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class RateLimitCollection : ICollectionFixture<RateLimitFixture>
{
    public const string Name = "rate-limits";
}
