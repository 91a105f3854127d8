using System.Diagnostics;
using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>
/// <c>fanout.sh --recipients N --silos K --carriers emulated</c>: one city-wide emergency into the carrier emulator
/// with cluster-wide per-carrier shaping. Prints last
/// <c>SHAPING recipients=N silos=K seconds=S min_seconds=T efficiency=T/S max_rate_error_pct=E lost=X</c>.
/// </summary>
public static class ShapedFanout
{
    private const int WindowSeconds = 10;

    public static async Task<int> RunAsync(FanoutSettings settings, Stopwatch run, CancellationToken cancellationToken)
    {
        bool completed;
        EmulatorLedger ledger;
        IReadOnlyList<SubmittedBroadcast> broadcasts;
        using (var stage = await FanoutStage.StartAsync(settings, cancellationToken))
        {
            broadcasts = await CityBroadcasts.SendCityWideAsync(stage, "emergency", cancellationToken);
            completed = await CityBroadcasts.WaitForCompletionAsync(stage, broadcasts, FanoutCommand.WaitBudget(settings, run), cancellationToken);
            stage.StopCluster();
            await stage.Emulator!.StopAsync();
            FanoutStage.Log($"emulator: {stage.Emulator.Tail().Split('\n').LastOrDefault(l => l.StartsWith("EMULATOR accepted", StringComparison.Ordinal))}");
            ledger = EmulatorLedger.Read(stage.Emulator.LedgerPath);
            var first = broadcasts.Min(b => b.AcceptedAt);
            var refusals = stage.Emulator.Refusals().GroupBy(r => (int)((r - first).TotalSeconds / WindowSeconds)).OrderBy(g => g.Key);
            FanoutStage.Log($"emulator refusals per {WindowSeconds} s window from the 202 (window:count): {string.Join(' ', refusals.Select(g => $"{g.Key}:{g.Count()}"))}");
        }

        var firstAccepted = broadcasts.Min(b => b.AcceptedAt).ToUnixTimeMilliseconds() / 1000.0;
        var seconds = ledger.LastAccepted - firstAccepted;
        var minimum = CarrierLimits.MinimumSeconds(SyntheticCity.CarrierCounts(settings.Recipients));
        var worstError = 0.0;
        foreach (var (carrier, _, limit) in CarrierLimits.Limits)
        {
            var flow = ledger.Carriers.GetValueOrDefault(carrier) ?? new EmulatorLedger.CarrierFlow(0, 0, 0);
            var error = 100 * Math.Abs(flow.Rate - limit) / limit;
            worstError = Math.Max(worstError, error);
            FanoutStage.Log(string.Create(CultureInfo.InvariantCulture,
                $"carrier {carrier}: {flow.Count} accepted in {flow.Last - flow.First:F1} s = {flow.Rate:F1}/s against {limit}/s ({error:F1}% off); first {flow.First - firstAccepted:F2} s after the 202"));

            // Dips after the emulator refused something show the engine's slow-down (half the rate, back by a quarter per quiet 10 s).
            var windows = ledger.RatePerWindow(carrier, firstAccepted, WindowSeconds).Select(r => r.ToString("F0", CultureInfo.InvariantCulture));
            FanoutStage.Log($"carrier {carrier}: messages/s per {WindowSeconds} s from the 202: {string.Join(' ', windows)}");
        }

        var ids = broadcasts.Select(b => b.Id).ToHashSet();
        var delivered = ledger.ByMessageId.Where(m => ids.Contains(BroadcastOf(m.Key))).ToList();
        var lost = Math.Max(0, broadcasts.Sum(b => b.Recipients) - delivered.Count);
        var duplicates = delivered.Sum(m => m.Value - 1);
        FanoutStage.Log($"ledger: {delivered.Count} distinct recipients, {duplicates} duplicate records");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SHAPING recipients={settings.Recipients} silos={settings.Silos} seconds={seconds:F2} min_seconds={minimum:F2} " +
            $"efficiency={minimum / seconds:F3} max_rate_error_pct={worstError:F1} lost={lost}"));
        return completed && lost == 0 ? 0 : 1;
    }

    private static string BroadcastOf(string messageId)
    {
        var dot = messageId.IndexOf('.', StringComparison.Ordinal);
        return messageId.StartsWith('<') && dot > 0 ? messageId[1..dot] : string.Empty;
    }
}
