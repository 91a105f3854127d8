using Pta.Grains.Abstractions;

namespace Pta.Grains.Guardians;

/// <inheritdoc cref="IAddressOwnerGrain"/>
public sealed class AddressOwnerGrain(
    [PersistentState("address-owner", StorageNames.State)] IPersistentState<AddressOwnerState> state) : Grain, IAddressOwnerGrain
{
    public async Task<string> ClaimAsync(string guardianId, string? legacyKey)
    {
        if (state.State.GuardianId is { } owner)
        {
            return owner;
        }

        // Single activation serialises claims of one address, so the take-over cannot race a second claim. The old
        // grain is cleared only once the owner is stored here: a failure in between loses nothing.
        var legacy = legacyKey is null ? null : GrainFactory.GetGrain<IAddressOwnerGrain>(legacyKey);
        var inherited = legacy is null ? null : await legacy.OwnerAsync();
        state.State.GuardianId = inherited ?? guardianId;
        await state.WriteStateAsync();
        if (inherited is not null)
        {
            await legacy!.ReleaseAsync(inherited);
        }

        return state.State.GuardianId;
    }

    public async Task ReleaseAsync(string guardianId)
    {
        if (state.State.GuardianId == guardianId)
        {
            await state.ClearStateAsync();
        }
    }

    public Task<string?> OwnerAsync() => Task.FromResult(state.State.GuardianId);
}
