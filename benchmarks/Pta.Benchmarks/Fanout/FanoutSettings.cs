using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>What <c>benchmarks/fanout.sh</c> asked for; see <see cref="FanoutCommand"/> for what each mode measures.</summary>
public sealed record FanoutSettings
{
    public const string Usage =
        "usage: fanout --repo DIR --work DIR --dumps DIR --postgres CONNECTION_STRING [--pgdata DIR] [--recipients N] [--silos K]\n" +
        "              [--carriers unlimited|emulated] [--priority] [--connections C=16] [--timeout SECONDS] [--join-after SECONDS]\n" +
        "              [--confirm [--wrk-threads T=2] [--wrk-connections W=32] [--durable] [--cold]]\n" +
        "              [--chaos [--kills K=5] [--kill-every SECONDS=10] [--rate MESSAGES_PER_SECOND=1250]]";

    /// <summary>The repository root (the clone the script runs from).</summary>
    public required string Repo { get; init; }

    /// <summary>A private folder for logs, the CSV and the emulator's files; the script removes it.</summary>
    public required string Work { get; init; }

    /// <summary>Where smtp-sink writes one file per accepted message (tmpfs when it fits).</summary>
    public required string Dumps { get; init; }

    public required string PostgresConnectionString { get; init; }

    /// <summary>The throwaway cluster's data folder, to find its postmaster for the CPU split; optional.</summary>
    public string? PostgresDataDirectory { get; init; }

    public int Recipients { get; init; } = 10_000;

    public int Silos { get; init; } = 1;

    public bool EmulatedCarriers { get; init; }

    /// <summary>The priority scenario: a city-wide info broadcast, then a one-school emergency while it sends.</summary>
    public bool Priority { get; init; }

    /// <summary>SMTP connections per silo (Pta:Smtp:Connections); the ceiling uses as many sessions in total.</summary>
    public int Connections { get; init; } = 16;

    public int TimeoutSeconds { get; init; }

    /// <summary>The read-confirmation scenario (benchmarks/confirm.sh): a confirming broadcast, then its links driven with wrk.</summary>
    public bool Confirm { get; init; }

    /// <summary>wrk's threads and connections in the confirmation scenario.</summary>
    public int WrkThreads { get; init; } = 2;

    public int WrkConnections { get; init; } = 32;

    /// <summary>No warm-up: the measured clicks are the gateway's first (its JIT and connection pool still cold).</summary>
    public bool ColdStart { get; init; }

    /// <summary>PostgreSQL commits durably (fsync, synchronous commit); benchmarks/fanout.sh starts it that way.</summary>
    public bool Durable { get; init; }

    /// <summary>
    /// The silo-crash scenario (benchmarks/chaos.sh): K silos (3 unless --silos says otherwise), a city-wide emergency
    /// shaped to <see cref="ChaosRate"/>, and a silo killed with SIGKILL every <see cref="KillEverySeconds"/> and restarted.
    /// </summary>
    public bool Chaos { get; init; }

    /// <summary>Silos killed (and restarted) during the chaos send.</summary>
    public int Kills { get; init; } = 5;

    public int KillEverySeconds { get; init; } = 10;

    /// <summary>The chaos send's cluster-wide rate (messages/s over all carriers): 100,000 recipients take 80 s at 1,250/s.</summary>
    public int ChaosRate { get; init; } = 1250;

    /// <summary>Guardians per school: N/1000 schools, as the city has.</summary>
    /// <summary>
    /// Seconds after the 202 at which a silo is added with the runbook's command (src/Pta.Silo/deploy/pta-silo.sh);
    /// 0: none. The run then reports each silo's share of the sends made after the new one was active.
    /// </summary>
    public int JoinAfterSeconds { get; init; }

    public const int GuardiansPerSchool = 1000;

    public int Schools => (Recipients + GuardiansPerSchool - 1) / GuardiansPerSchool;

    /// <summary>Generous enough for a million recipients on two cores: import, fan-out, analysis and the ceiling.</summary>
    public int EffectiveTimeoutSeconds => TimeoutSeconds > 0 ? TimeoutSeconds : 600 + (Recipients / 250);

    public static bool TryParse(IReadOnlyList<string> args, out FanoutSettings settings, out string error)
    {
        string? repo = null, work = null, dumps = null, postgres = null, pgdata = null;
        int recipients = -1, silos = -1, connections = 16, timeout = 0, wrkThreads = 2, wrkConnections = 32;
        int kills = 5, killEvery = 10, rate = 1250, joinAfter = 0;
        var emulated = false;
        var priority = false;
        var confirm = false;
        var durable = false;
        var cold = false;
        var chaos = false;
        error = string.Empty;
        settings = null!;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--priority" or "--confirm" or "--durable" or "--cold" or "--chaos")
            {
                chaos |= name == "--chaos";
                priority |= name == "--priority";
                confirm |= name == "--confirm";
                durable |= name == "--durable";
                cold |= name == "--cold";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return false;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--repo" => Set(ref repo, value),
                "--work" => Set(ref work, value),
                "--dumps" => Set(ref dumps, value),
                "--postgres" => Set(ref postgres, value),
                "--pgdata" => Set(ref pgdata, value),
                "--recipients" => TryNumber(value, 1, 10_000_000, out recipients),
                "--silos" => TryNumber(value, 1, 16, out silos),
                "--connections" => TryNumber(value, 1, 256, out connections),
                "--timeout" => TryNumber(value, 1, 86_400, out timeout),
                "--carriers" => TryCarriers(value, out emulated),
                "--wrk-threads" => TryNumber(value, 1, 64, out wrkThreads),
                "--wrk-connections" => TryNumber(value, 1, 10_000, out wrkConnections),
                "--kills" => TryNumber(value, 1, 100, out kills),
                "--kill-every" => TryNumber(value, 1, 600, out killEvery),
                "--join-after" => TryNumber(value, 1, 3600, out joinAfter),
                "--rate" => TryNumber(value, 1, 100_000, out rate),
                _ => false,
            };
            if (!ok)
            {
                error = $"unknown option or bad value: {name} {value}";
                return false;
            }
        }

        if (repo is null || work is null || dumps is null || postgres is null)
        {
            error = "--repo, --work, --dumps and --postgres are required (benchmarks/fanout.sh passes them)";
            return false;
        }

        if ((priority || confirm) && emulated)
        {
            error = "--priority and --confirm run against the unlimited sink; leave out --carriers emulated";
            return false;
        }

        if (new[] { priority, confirm, chaos }.Count(b => b) > 1)
        {
            error = "--priority, --confirm and --chaos are separate scenarios; pick one";
            return false;
        }

        if (chaos && emulated)
        {
            error = "--chaos sends into smtp-sink with the engine's own shaping (--rate); leave out --carriers emulated";
            return false;
        }

        if (chaos && silos == 1)
        {
            error = "--chaos needs at least 2 silos: with one, a kill leaves nobody to take its shards over";
            return false;
        }

        if (joinAfter > 0 && (priority || confirm || chaos || emulated))
        {
            error = "--join-after adds a silo during the plain fan-out (--recipients N --silos K); leave out the other scenarios";
            return false;
        }

        settings = new FanoutSettings
        {
            Repo = repo,
            Work = work,
            Dumps = dumps,
            PostgresConnectionString = postgres,
            PostgresDataDirectory = pgdata,
            Recipients = recipients > 0 ? recipients : priority ? 1_000_000 : confirm || chaos ? 100_000 : 10_000,
            Silos = silos > 0 ? silos : chaos ? 3 : 1,
            EmulatedCarriers = emulated,
            Priority = priority,
            Connections = connections,
            TimeoutSeconds = timeout,
            Confirm = confirm,
            WrkThreads = wrkThreads,
            WrkConnections = wrkConnections,
            Durable = durable,
            ColdStart = cold,
            Chaos = chaos,
            Kills = kills,
            KillEverySeconds = killEvery,
            ChaosRate = rate,
            JoinAfterSeconds = joinAfter,
        };
        return true;
    }

    private static bool Set(ref string? target, string value)
    {
        target = value;
        return value.Length > 0;
    }

    private static bool TryNumber(string value, int min, int max, out int number) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= min && number <= max;

    private static bool TryCarriers(string value, out bool emulated)
    {
        emulated = value == "emulated";
        return value is "emulated" or "unlimited";
    }
}
