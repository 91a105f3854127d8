using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Shaping;

namespace Pta.Benchmarks.Shaping;

/// <summary>
/// The shaping decision the delivery shard makes before every send: classify the address by its domain
/// (<see cref="GuardianAddress.Classify"/>), then wait for a permit of that carrier (<see cref="CarrierThrottle.WaitAsync"/>).
/// Every operation is one message: each method walks the same <see cref="AddressCount"/> addresses of
/// <see cref="SampleAddresses"/> once and the figures are divided by that count.
/// </summary>
/// <remarks>
/// The throttles' grain factory is <see cref="InstantRateGrains"/>: a refill costs what the throttle does around
/// the grain call, never the call itself (a silo-to-silo message in production). One throttle is used from one
/// thread here, so the permit semaphore is never contended, unlike under the shard's <c>Parallel.ForEachAsync</c>.
/// </remarks>
[MemoryDiagnoser]
public class ShapingDecisionBenchmarks
{
    private const int AddressCount = 1024;

    private readonly string[] _addresses = SampleAddresses.Mix(AddressCount);
    private Carrier[] _carriers = null!;
    private CarrierThrottle _shapingOff = null!;
    private InstantRateGrains _unlimitedGrains = null!;
    private CarrierThrottle _localPermits = null!;
    private CarrierThrottle _batchesOf20 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _carriers = [.. _addresses.Select(GuardianAddress.Classify)];

        // The default: Enabled false and no carriers, as every deployment without a Pta:Shaping section runs.
        _shapingOff = new CarrierThrottle(new InstantRateGrains(grant: 0), Options.Create(new ShapingOptions()));

        // Every carrier shaped; the first grain call per carrier grants int.MaxValue permits, so every later send
        // takes the path between two grain calls: the dictionary look-ups, the semaphore, one decrement.
        _unlimitedGrains = new InstantRateGrains(grant: int.MaxValue);
        _localPermits = new CarrierThrottle(_unlimitedGrains, Options.Create(EveryCarrierShaped()));

        // Every carrier shaped with the default batch of 20: every 20th send per carrier asks the (instant) grain again.
        _batchesOf20 = new CarrierThrottle(new InstantRateGrains(grant: new ShapingOptions().BatchSize), Options.Create(EveryCarrierShaped()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // The local-permit figures mean nothing if the batch ran out: at most one refill per carrier is allowed.
        if (_unlimitedGrains.Calls > Enum.GetValues<Carrier>().Length)
        {
            throw new InvalidOperationException($"The unlimited batch was refilled {_unlimitedGrains.Calls} times.");
        }
    }

    /// <summary>(a) The carrier of one address, by its domain.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public int Classify()
    {
        var sum = 0;
        foreach (var address in _addresses)
        {
            sum += (int)GuardianAddress.Classify(address);
        }

        return sum;
    }

    /// <summary>(b) Waiting for a permit with shaping off: the common path.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public Task WaitShapingOff() => WaitAllAsync(_shapingOff);

    /// <summary>(c) Waiting for a permit with shaping on while the silo's local batch lasts: the hot path between grain calls.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public Task WaitShapedLocalPermits() => WaitAllAsync(_localPermits);

    /// <summary>(c') As (c) with the default batch of 20 permits, so the refill path's local work is included once per 20 sends.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public Task WaitShapedBatchesOf20() => WaitAllAsync(_batchesOf20);

    /// <summary>The whole decision with shaping off: classify, then wait.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public Task DecisionShapingOff() => DecideAllAsync(_shapingOff);

    /// <summary>The whole decision with shaping on, between grain calls: classify, then take a local permit.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public Task DecisionShapedLocalPermits() => DecideAllAsync(_localPermits);

    private async Task WaitAllAsync(CarrierThrottle throttle)
    {
        foreach (var carrier in _carriers)
        {
            await throttle.WaitAsync(carrier, CancellationToken.None);
        }
    }

    private async Task DecideAllAsync(CarrierThrottle throttle)
    {
        foreach (var address in _addresses)
        {
            await throttle.WaitAsync(GuardianAddress.Classify(address), CancellationToken.None);
        }
    }

    private static ShapingOptions EveryCarrierShaped()
    {
        var options = new ShapingOptions { Enabled = true };
        foreach (var carrier in Enum.GetValues<Carrier>())
        {
            options.Carriers[carrier.ToString()] = new CarrierLimit { MessagesPerSecond = 200 };
        }

        return options;
    }
}
