using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Telemetry;

/// <summary>
/// Hot path: the silo's delivery counters, on the one meter <see cref="MeterName"/> (names follow OpenTelemetry's
/// conventions: dotted, lower case, seconds for durations; the Prometheus exporter turns <c>pta.messages.sent</c> into
/// <c>pta_messages_sent_total</c>). A message costs one counter add with a tag list built once per carrier, one
/// interlocked increment of the running total that <see cref="Totals"/> hands to the cluster's rate grain, and, when
/// it was accepted, one histogram record: no allocation. Tags are only carrier, category, route and lane: never an
/// address, a school or a broadcast, so a scrape cannot leak guardian data.
/// </summary>
public sealed class PtaMetrics
{
    /// <summary>The meter every Pta instrument is created on; exporters subscribe to it by this name.</summary>
    public const string MeterName = "Pta";

    /// <summary>Seconds, for latencies from a fraction of a second (one message) to the retry expiry (hours).</summary>
    private static readonly double[] SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 14400];

    /// <summary>Seconds, for one group-committed ledger write (a COPY of up to 2,000 rows).</summary>
    private static readonly double[] WriteBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30];

    private static readonly int Carriers = Enum.GetValues<Carrier>().Length;
    private static readonly int Statuses = Enum.GetValues<DeliveryStatus>().Length;

    private readonly Counter<long>[] _outcomes;
    private readonly TagList[] _carrierTags;
    private readonly long[] _totals;
    private readonly Histogram<double> _messageLatency;
    private readonly Histogram<double> _fanoutDuration;
    private readonly Histogram<double> _ledgerWrite;
    private readonly Counter<long> _connectionsOpened;
    private int _shardsRunning;

    public PtaMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _carrierTags = [.. Enum.GetValues<Carrier>().Select(c => new TagList { { "carrier", CarrierNames.KeyOf(c) } })];
        _totals = new long[Carriers * Statuses];
        _outcomes = new Counter<long>[Statuses];
        _outcomes[(int)DeliveryStatus.Sent] = Meter.CreateCounter<long>("pta.messages.sent", "{message}", "Messages an SMTP server accepted (250 after DATA), per carrier");
        _outcomes[(int)DeliveryStatus.Deferred] = Meter.CreateCounter<long>("pta.messages.deferred", "{message}", "Send attempts answered 4xx, reset or timed out (retried later), per carrier");
        _outcomes[(int)DeliveryStatus.InvalidAddress] = Meter.CreateCounter<long>("pta.messages.bounced", "{message}", "Messages refused as unknown user (5.1.1; the address is suppressed), per carrier");
        _outcomes[(int)DeliveryStatus.Failed] = Meter.CreateCounter<long>("pta.messages.failed", "{message}", "Messages failed for good (another 5xx, or still deferred at the retry deadline), per carrier");
        _messageLatency = Meter.CreateHistogram("pta.fanout.message.duration", "s",
            "From the broadcast's acceptance to this message's acceptance by the SMTP server, per carrier",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _fanoutDuration = Meter.CreateHistogram("pta.fanout.duration", "s",
            "From a broadcast's acceptance to its last shard's final report, per category",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _ledgerWrite = Meter.CreateHistogram("pta.ledger.write.duration", "s",
            "One group-committed write of delivery outcomes to the ledger, retries included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });
        _connectionsOpened = Meter.CreateCounter<long>("pta.smtp.connections.opened", "{connection}", "SMTP connections opened (a pooled connection carries many messages)");
        Meter.CreateObservableGauge("pta.shards.running", () => Volatile.Read(ref _shardsRunning), "{shard}", "Delivery shards sending on this silo");
    }

    /// <summary>The meter, for components that observe their own queues (recorder, SMTP pools).</summary>
    public Meter Meter { get; }

    /// <summary>Counts one send attempt's outcome; an accepted one also records its latency since the broadcast's acceptance.</summary>
    public void Delivered(Carrier carrier, DeliveryStatus status, TimeSpan sinceAccepted)
    {
        ref readonly var tags = ref _carrierTags[(int)carrier];
        _outcomes[(int)status].Add(1, in tags);
        Interlocked.Increment(ref _totals[(int)status * Carriers + (int)carrier]);
        if (status == DeliveryStatus.Sent)
        {
            _messageLatency.Record(sinceAccepted.TotalSeconds, in tags);
        }
    }

    /// <summary>A broadcast's last shard reported: the whole fan-out's duration.</summary>
    public void FanoutFinished(BroadcastCategory category, TimeSpan sinceAccepted) =>
        _fanoutDuration.Record(sinceAccepted.TotalSeconds, new KeyValuePair<string, object?>("category", CategoryNames.Of(category)));

    /// <summary>One ledger write of <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) that just ended.</summary>
    public void LedgerWritten(long startedAt) => _ledgerWrite.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);

    public void ConnectionOpened() => _connectionsOpened.Add(1);

    public void ShardStarted() => Interlocked.Increment(ref _shardsRunning);

    public void ShardStopped() => Interlocked.Decrement(ref _shardsRunning);

    /// <summary>This silo's running totals since it started, per carrier: what it publishes to the cluster's rate grain.</summary>
    public IReadOnlyList<CarrierTotals> Totals() =>
        [.. Enum.GetValues<Carrier>().Select(c => new CarrierTotals(
            c,
            Volatile.Read(ref _totals[(int)DeliveryStatus.Sent * Carriers + (int)c]),
            Volatile.Read(ref _totals[(int)DeliveryStatus.Deferred * Carriers + (int)c]),
            Volatile.Read(ref _totals[(int)DeliveryStatus.InvalidAddress * Carriers + (int)c]),
            Volatile.Read(ref _totals[(int)DeliveryStatus.Failed * Carriers + (int)c])))];

    /// <summary>Category names as tag values, without boxing or <c>Enum.ToString()</c> per record.</summary>
    private static class CategoryNames
    {
        private static readonly string[] Names = [.. Enum.GetNames<BroadcastCategory>().Select(n => n.ToLowerInvariant())];

        public static string Of(BroadcastCategory category) => (int)category < Names.Length ? Names[(int)category] : "other";
    }
}
