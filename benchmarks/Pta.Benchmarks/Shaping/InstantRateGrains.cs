using Pta.Grains.Abstractions;

namespace Pta.Benchmarks.Shaping;

/// <summary>
/// A stand-in for the cluster in <c>CarrierThrottle</c>'s constructor: every <see cref="ICarrierRateGrain"/> it
/// hands out grants <paramref name="grant"/> permits per call at once, with an already completed task, so a
/// benchmark measures the throttle's local work and never a grain call, a network hop or a wait.
/// Only <c>GetGrain&lt;T&gt;(string)</c> is implemented: it is all the throttle uses.
/// </summary>
internal sealed class InstantRateGrains(int grant) : IGrainFactory
{
    private readonly RateGrain _grain = new(grant);

    /// <summary>How many times the throttle asked a grain for permits.</summary>
    public int Calls => _grain.Calls;

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey =>
        _grain is TGrainInterface grain ? grain : throw Unused();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix) => throw Unused();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix) => throw Unused();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix) => throw Unused();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix) => throw Unused();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(GrainId grainId) => throw Unused();

    TGrainObserverInterface IGrainFactory.CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) => throw Unused();

    void IGrainFactory.DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) => throw Unused();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unused();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unused();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unused();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unused();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unused();

    IAddressable IGrainFactory.GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw Unused();

    IAddressable IGrainFactory.GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => throw Unused();

    IAddressable IGrainFactory.GetGrain(GrainId grainId) => throw Unused();

    IAddressable IGrainFactory.GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unused();

    private static NotSupportedException Unused() => new("CarrierThrottle only asks for ICarrierRateGrain by string key.");

    private sealed class RateGrain(int grant) : ICarrierRateGrain
    {
        private readonly Task<int> _granted = Task.FromResult(grant);

        public int Calls { get; private set; }

        public Task<int> AcquireAsync(int wanted, double messagesPerSecond, int burst)
        {
            Calls++;
            return _granted;
        }

        public Task SlowDownAsync() => Task.CompletedTask;

        public Task<DateTimeOffset?> UnknownUserAsync(int burst, TimeSpan window, TimeSpan pause) => Task.FromResult<DateTimeOffset?>(null);

        public Task<CarrierShapingState> GetStateAsync() => Task.FromResult(new CarrierShapingState("instant", 1, null, 0));
    }
}
