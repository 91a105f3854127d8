using System.Diagnostics;

namespace Pta.Grains.Telemetry;

/// <summary>
/// The one activity source of Pta's traces: a span per broadcast submission and per shard run. With no listener (no
/// OTLP endpoint configured) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and costs
/// a flag check.
/// </summary>
public static class PtaActivities
{
    public const string SourceName = "Pta";

    public static readonly ActivitySource Source = new(SourceName);
}
