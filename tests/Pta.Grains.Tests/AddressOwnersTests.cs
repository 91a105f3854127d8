using Pta.Grains.Abstractions;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>Owners found by the keyed lookup, and owners recorded under the old plain-hash key carried over.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AddressOwnersTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_owner_recorded_under_the_old_key_is_taken_over_once_and_the_old_grain_forgets_it()
    {
        var owners = TestAtRestKeys.Owners();
        var address = $"sibling.{Guid.NewGuid():N}@docomo.ne.jp";
        var legacy = fixture.Grains.GetGrain<IAddressOwnerGrain>(Ids.AddressKey(address));
        await legacy.ClaimAsync("gd-old", legacyKey: null); // what the previous version stored

        var first = await owners.ClaimAsync(fixture.Grains, address, "gd-new");
        var second = await owners.ClaimAsync(fixture.Grains, address.ToUpperInvariant().Replace("DOCOMO.NE.JP", "docomo.ne.jp", StringComparison.Ordinal), "gd-other");

        Assert.Equal("gd-old", first);
        Assert.Equal("gd-old", second);
        Assert.Null(await legacy.OwnerAsync());
        Assert.Equal("gd-old", await fixture.Grains.GetGrain<IAddressOwnerGrain>(owners.OwnerKey(address)).OwnerAsync());
    }

    [Fact]
    public async Task A_released_address_is_free_under_both_keys()
    {
        var owners = TestAtRestKeys.Owners();
        var address = $"moved.{Guid.NewGuid():N}@ezweb.ne.jp";
        await fixture.Grains.GetGrain<IAddressOwnerGrain>(Ids.AddressKey(address)).ClaimAsync("gd-a", legacyKey: null);
        Assert.Equal("gd-a", await owners.ClaimAsync(fixture.Grains, address, "gd-b"));

        await owners.ReleaseAsync(fixture.Grains, address, "gd-a");

        Assert.Equal("gd-c", await owners.ClaimAsync(fixture.Grains, address, "gd-c"));
    }
}
