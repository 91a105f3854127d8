using Pta.Grains.Abstractions;

namespace Pta.Grains.Guardians;

/// <inheritdoc cref="IAddressOwnerGrain"/>
public sealed class AddressOwnerGrain(
    [PersistentState("address-owner", StorageNames.State)] IPersistentState<AddressOwnerState> state) : Grain, IAddressOwnerGrain
{
    public async Task<string> ClaimAsync(string guardianId)
    {
        if (state.State.GuardianId is { } owner)
        {
            return owner;
        }

        state.State.GuardianId = guardianId;
        await state.WriteStateAsync();
        return guardianId;
    }

    public async Task ReleaseAsync(string guardianId)
    {
        if (state.State.GuardianId == guardianId)
        {
            await state.ClearStateAsync();
        }
    }
}
