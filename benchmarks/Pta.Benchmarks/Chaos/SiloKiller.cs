using System.Globalization;
using Pta.Benchmarks.Fanout;

namespace Pta.Benchmarks.Chaos;

/// <summary>
/// The chaos run's crash schedule: every <see cref="FanoutSettings.KillEverySeconds"/> after the 202, a silo picked at
/// random gets <c>kill -9</c> and is started again at once on the same ports (what a process supervisor does). Before
/// each kill it waits, within a bound, until every silo is active again, so each kill takes down a working member of a
/// full cluster rather than a silo still joining. Each kill is then watched in the membership table until the dead
/// generation is declared dead and its restart is active.
/// </summary>
public sealed class SiloKiller(BenchCluster cluster, MembershipTable membership, FanoutSettings settings)
{
    /// <summary>How long a kill waits for the previous restart to join before it picks among the silos that are active.</summary>
    private static readonly TimeSpan FullClusterPatience = TimeSpan.FromSeconds(60);

    /// <summary>How long a kill is watched in the membership table.</summary>
    private static readonly TimeSpan WatchLimit = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Kills until <see cref="FanoutSettings.Kills"/> are done or <paramref name="sendDone"/> is cancelled (the
    /// broadcast completed: killing an idle cluster proves nothing), then waits for the kills' watches.
    /// </summary>
    public async Task<IReadOnlyList<KillRecord>> RunAsync(DateTime acceptedAt, CancellationToken sendDone, CancellationToken cancellationToken)
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        FanoutStage.Log($"chaos: {settings.Kills} kills, one every {settings.KillEverySeconds} s from the 202, silo chosen at random (seed {seed})");
        var kills = new List<KillRecord>();
        var watches = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(sendDone, cancellationToken);
        try
        {
            for (var number = 1; number <= settings.Kills; number++)
            {
                var due = (kills.Count == 0 ? acceptedAt : kills[^1].KilledAt) + TimeSpan.FromSeconds(settings.KillEverySeconds);
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token);
                }

                var candidates = await ActiveSilosAsync(stop.Token);
                if (candidates.Count == 0)
                {
                    FanoutStage.Log($"chaos: no silo active to kill for kill {number}; stopping the kills");
                    break;
                }

                var (index, row) = candidates[random.Next(candidates.Count)];
                var kill = new KillRecord(number, index, row, DateTime.UtcNow);
                cluster.KillSilo(index);
                cluster.RestartSilo(index);
                kills.Add(kill);
                FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
                    $"chaos: kill {number}: kill -9 silo {index} (port {row.Port}, generation {row.Generation}) " +
                    $"{(kill.KilledAt - acceptedAt).TotalSeconds:F1} s after the 202; restarted on the same ports"));
                watches.Add(WatchAsync(kill, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (sendDone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            FanoutStage.Log($"chaos: the broadcast completed after {kills.Count} kill(s); no more kills");
        }

        await Task.WhenAll(watches);
        return kills;
    }

    /// <summary>
    /// The silos to choose from: every silo once all are active (waiting up to <see cref="FullClusterPatience"/>),
    /// else those active now. A silo is active when its current generation's row (the newest on its port) says so.
    /// </summary>
    private async Task<IReadOnlyList<(int Index, MembershipRow Row)>> ActiveSilosAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FullClusterPatience;
        while (true)
        {
            var rows = await membership.ReadAsync(cancellationToken);
            var active = Enumerable.Range(0, cluster.SiloCount)
                .Select(i => (Index: i, Row: rows.Where(r => r.Port == cluster.SiloPort(i)).MaxBy(r => r.Generation)))
                .Where(s => s.Row is { IsActive: true })
                .Select(s => (s.Index, s.Row!))
                .ToList();
            if (active.Count == cluster.SiloCount || DateTime.UtcNow >= deadline)
            {
                if (active.Count < cluster.SiloCount)
                {
                    FanoutStage.Log($"chaos: only {active.Count} of {cluster.SiloCount} silos active after {FullClusterPatience.TotalSeconds:F0} s; choosing among those");
                }

                return active;
            }

            await Task.Delay(PollEvery, cancellationToken);
        }
    }

    /// <summary>Polls the membership table until the killed generation is dead and a newer one on its port is active.</summary>
    private async Task WatchAsync(KillRecord kill, CancellationToken cancellationToken)
    {
        var deadline = kill.KilledAt + WatchLimit;
        while (DateTime.UtcNow < deadline && (kill.DeclaredDeadAfter is null || kill.ReplacementActiveAfter is null))
        {
            var rows = await membership.ReadAsync(cancellationToken);
            var now = (DateTime.UtcNow - kill.KilledAt).TotalSeconds;
            if (kill.DeclaredDeadAfter is null && rows.Any(r => r.Port == kill.Victim.Port && r.Generation == kill.Victim.Generation && r.IsDead))
            {
                kill.DeclaredDeadAfter = now;
            }

            if (kill.ReplacementActiveAfter is null && rows.Any(r => r.Port == kill.Victim.Port && r.Generation > kill.Victim.Generation && r.IsActive))
            {
                kill.ReplacementActiveAfter = now;
            }

            await Task.Delay(PollEvery, cancellationToken);
        }

        FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
            $"chaos: kill {kill.Number} (silo {kill.SiloIndex}): declared dead after {Seconds(kill.DeclaredDeadAfter)}, " +
            $"restart active after {Seconds(kill.ReplacementActiveAfter)}"));
    }

    private static string Seconds(double? value) =>
        value is { } s ? s.ToString("F1", CultureInfo.InvariantCulture) + " s" : $"more than {WatchLimit.TotalSeconds:F0} s";
}
