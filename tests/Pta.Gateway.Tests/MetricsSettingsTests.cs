using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pta.Silo.Hosting;

namespace Pta.Gateway.Tests;

/// <summary>A silo's metrics listener settings are checked at start-up and refused in their own words.</summary>
public sealed class MetricsSettingsTests
{
    [Theory]
    [InlineData("0", "127.0.0.1", "Port must be 1-65535 (was 0)")]
    [InlineData("70000", "127.0.0.1", "(was 70000)")]
    [InlineData("9464", "localhost:80", "was 'localhost:80'")]
    public void A_bad_listener_setting_stops_the_silo_naming_it(string port, string address, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pta:Metrics:Port"] = port,
            ["Pta:Metrics:ListenAddress"] = address,
        });

        var refused = Assert.Throws<OptionsValidationException>(() => builder.AddPtaMetricsListener());

        Assert.Contains("Pta:Metrics", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_listener_setting_is_taken()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pta:Metrics:Port"] = "9464" });

        builder.AddPtaMetricsListener();
    }
}
