using Orleans.Configuration;

namespace Pta.Silo.Hosting;

/// <summary>
/// How soon the cluster declares a dead silo dead. Until then every grain that lived there (a broadcast, a carrier's
/// rate grain, the shards it was sending) cannot be reached, and cannot start elsewhere either: Orleans re-activates a
/// grain only once its old silo is declared dead. So this delay is, for those grains, the outage a crashed silo causes.
/// </summary>
/// <remarks>
/// <para>
/// Orleans' defaults probe each silo every 5 s and declare it dead after 3 missed probes and 2 votes: 10–15 s after a
/// crash (the first probe lands anywhere in the first period), 6.5–13.2 s in benchmarks/chaos.sh on this machine. A
/// <see cref="ProbeTimeout"/> of 2 s probes every 2 s and brings that to about 4–6 s. The other settings stay at
/// Orleans' defaults, set explicitly below because they are what keeps a live silo from being expelled: 3 probes in a
/// row must fail (the last one indirectly, through another silo, so one bad link is not enough), 2 silos must vote,
/// and a silo that is itself starved of CPU gives its probes longer before it suspects anyone.
/// </para>
/// <para>
/// Why not shorter still: a silo declared dead stops itself, and with it whatever it was sending. On a small machine
/// (this one has 2 cores, shared by PostgreSQL, the relay and 3 silos) a silo can be slow to answer for a second or
/// two under load; a 1 s probe would turn that hiccup into a crash. 2 s × 3 probes means a silo must miss about 6 s of
/// pings before it is expelled, well beyond any pause seen in these runs. The price of a crash is bounded anyway:
/// sends go on at each silo's share of every carrier's rate while a rate grain is unreachable, and the outcomes a dead
/// silo had not yet recorded are sent again (measured in docs/benchmarks.md, "Chaos").
/// </para>
/// </remarks>
public static class FailureDetection
{
    /// <summary>The period between probes of a monitored silo, and the time each probe may take (adapted by Orleans between half and four times this).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static void Configure(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.MinProbeTimeout = ProbeTimeout / 2;
        options.MaxProbeTimeout = ProbeTimeout * 4;

        // The safeguards the shorter probe leans on, set here so that they hold whatever a later Orleans defaults to.
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 2;
        options.EnableIndirectProbes = true;
        options.ExtendProbeTimeoutDuringDegradation = true;
    }
}
