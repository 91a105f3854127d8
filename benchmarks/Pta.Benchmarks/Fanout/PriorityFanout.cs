using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout.sh --priority</c>: a city-wide info broadcast (1,000,000 recipients unless --recipients says otherwise);
/// once the sink is receiving it, an emergency to one school's 1,000 guardians. Measures how long the emergency's
/// recipients wait behind the info mail: prints last <c>PRIORITY p99_ms=P …</c> (202 of the emergency → acceptance).
/// </summary>
public static class PriorityFanout
{
    public static async Task<int> RunAsync(FanoutSettings settings, Stopwatch run, CancellationToken cancellationToken)
    {
        bool completed;
        SinkDump dump;
        SubmittedBroadcast emergency;
        int infoAcceptedBefore;
        using (var stage = await FanoutStage.StartAsync(settings, cancellationToken))
        {
            await CityBroadcasts.SendCityWideAsync(stage, "info", cancellationToken);

            // "Once it is sending": the sink has taken a good number of info messages, so the pool is busy with them.
            var busy = Math.Clamp(settings.Recipients / 50, 1000, 20_000);
            while ((infoAcceptedBefore = SinkDump.CountFiles(stage.SinkDumps)) < busy)
            {
                await Task.Delay(100, cancellationToken);
            }

            FanoutStage.Log($"info broadcast sending: {infoAcceptedBefore} messages accepted; sending the emergency");
            emergency = await CityBroadcasts.SendToSchoolAsync(stage, SyntheticCity.SchoolId(settings.Schools / 2), "emergency", cancellationToken);
            completed = await CityBroadcasts.WaitForCompletionAsync(stage, [emergency], TimeSpan.FromMinutes(10), cancellationToken);
            stage.StopCluster();
            dump = stage.TakeSinkDump();
        }

        var times = DeliveryTimes.Of(dump.ByMessageId.Select(a => (a.Key, a.Value.First, a.Value.Count)), [emergency]);
        FanoutStage.Log($"sink: {dump.Records} records in all (info and emergency)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PRIORITY p99_ms={times.PercentileMs(99):F0} p50_ms={times.PercentileMs(50):F0} first_ms={times.FirstMs:F0} " +
            $"last_ms={times.LastSeconds * 1000:F0} recipients={emergency.Recipients} lost={times.Lost} duplicates={times.Duplicates} " +
            $"background={settings.Recipients} background_accepted_before={infoAcceptedBefore}"));
        return completed && times.Lost == 0 ? 0 : 1;
    }
}
