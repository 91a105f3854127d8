using System.Globalization;
using Pta.Grains.Abstractions;

namespace Pta.Testing;

/// <summary>
/// The configuration of a gateway as production runs it, for fixtures that start one on a loopback Kestrel port
/// (the console's browser tests, the CLI's tests): a co-hosted silo on the run's PostgreSQL, MailKit to a real
/// smtp-sink, guardian addresses sealed at rest, no demo city. A fixture adds what its tests need on top.
/// </summary>
public static class GatewayTestSettings
{
    public static Dictionary<string, string> Production(string clusterId, PostgresTestDatabase database, SmtpSink sink, string baseUrl, int siloPort)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sink);
        var settings = new Dictionary<string, string>
        {
            ["Pta:Cluster:Mode"] = "PostgreSql",
            ["Pta:Cluster:ClusterId"] = clusterId,
            ["Pta:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Pta:Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Pta:Postgres:ConnectionString"] = database.ConnectionString,
            ["Pta:Smtp:Host"] = "127.0.0.1",
            ["Pta:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["Pta:Smtp:Connections"] = "4",
            ["Pta:Demo:Seed"] = "false",
            ["Pta:Links:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Pta:Links:PublicBaseUrl"] = baseUrl,
            ["Logging:LogLevel:Default"] = "Warning",
            // The address Kestrel binds: appsettings.json's Urls (5080) would otherwise win over UseKestrel(port).
            ["Urls"] = baseUrl,
        };
        foreach (var (key, value) in TestAtRestKeys.Settings)
        {
            settings[key] = value; // guardian addresses sealed at rest, as production must
        }

        return settings;
    }

    /// <summary>Carrier shaping on, every carrier at the same low rate, so a send takes seconds and can be watched moving.</summary>
    public static void AddShaping(Dictionary<string, string> settings, int messagesPerSecond, int burst = 2)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Pta:Shaping:Enabled"] = "true";
        settings["Pta:Shaping:BatchSize"] = "2";
        foreach (var carrier in Enum.GetNames<Carrier>())
        {
            settings[$"Pta:Shaping:Carriers:{carrier}:MessagesPerSecond"] = messagesPerSecond.ToString(CultureInfo.InvariantCulture);
            settings[$"Pta:Shaping:Carriers:{carrier}:Burst"] = burst.ToString(CultureInfo.InvariantCulture);
        }
    }
}
