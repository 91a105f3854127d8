using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Pta.Gateway.Tests;

/// <summary>
/// A gateway of its own for the operations endpoints: an operator credential configured, the Orleans Dashboard on,
/// and clients that say which address they come from (<see cref="TestClientAddress"/>), so the loopback rule of
/// <c>/metrics</c> is tested with real peers. Its own collection: the per-silo totals it checks are its silo's alone.
/// </summary>
public sealed class OperationsFixture : GatewayFixture
{
    /// <summary>The operator credential of this gateway (<c>Pta:Operator:Token</c>).</summary>
    public string OperatorToken { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings => new Dictionary<string, string>
    {
        ["Pta:Operator:Token"] = OperatorToken,
        ["Pta:Dashboard:Enabled"] = "true",
    };

    /// <summary>A client whose requests come from <paramref name="address"/>, with an Authorization header if given.</summary>
    public HttpClient From(string address, AuthenticationHeaderValue? authorization = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    /// <summary>HTTP Basic with any user name and <paramref name="secret"/> as the password, as a browser sends it.</summary>
    public static AuthenticationHeaderValue Basic(string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + secret)));

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddTransient<IStartupFilter, TestClientAddress>();
}

[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<OperationsFixture>
{
    public const string Name = "operations";
}
