using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Pta.Grains.Abstractions;
using Pta.Grains.Guardians;
using Pta.Grains.Persistence;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>The sealing itself, without a database: what goes in comes out, and nothing else does.</summary>
public sealed class AtRestProtectorTests
{
    private const string Address = "taro..yamada.@docomo.ne.jp";

    [Fact]
    public void A_sealed_address_opens_to_itself_and_shows_none_of_its_bytes()
    {
        using var protector = TestAtRestKeys.Protector();

        var stored = protector.SealText(Address);

        Assert.Equal(Address, protector.OpenText(stored));
        Assert.True(AtRestProtector.IsSealed(stored));
        Assert.Equal(TestAtRestKeys.KeyId, AtRestProtector.KeyIdOf(stored));
        Assert.Equal(Encoding.UTF8.GetByteCount(Address) + AtRestProtector.Overhead, stored.Length);
        Assert.DoesNotContain("docomo", Encoding.Latin1.GetString(stored), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Two_seals_of_one_value_differ()
    {
        using var protector = TestAtRestKeys.Protector();

        Assert.NotEqual(protector.SealText(Address), protector.SealText(Address));
    }

    [Theory]
    [InlineData(0)] // the marker
    [InlineData(2)] // the key id: the header is authenticated too
    [InlineData(5)] // the nonce
    [InlineData(20)] // the ciphertext
    [InlineData(-1)] // the tag
    public void A_changed_byte_anywhere_is_refused(int position)
    {
        using var protector = TestAtRestKeys.Protector();
        var stored = protector.SealText(Address);
        stored[position < 0 ? stored.Length + position : position] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Open(stored));
    }

    [Fact]
    public void A_value_sealed_with_a_key_that_is_not_configured_is_refused_naming_the_setting()
    {
        using var other = new AtRestProtector(new Dictionary<byte, byte[]> { [7] = RandomNumberGenerator.GetBytes(32) }, 7);
        using var protector = TestAtRestKeys.Protector();

        var error = Assert.ThrowsAny<CryptographicException>(() => protector.OpenText(other.SealText(Address)));

        Assert.Contains("key 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pta:AtRest:Keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_rotation_the_old_key_still_opens_and_the_new_one_seals()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        using var before = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = oldKey }, 1);
        using var after = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = oldKey, [2] = RandomNumberGenerator.GetBytes(32) }, 2);
        var old = before.SealText(Address);

        Assert.Equal(Address, after.OpenText(old));
        Assert.Equal((byte)2, AtRestProtector.KeyIdOf(after.SealText(Address)));
    }

    [Fact]
    public void A_value_stored_before_sealing_existed_is_read_as_it_is()
    {
        using var protector = TestAtRestKeys.Protector();

        Assert.False(AtRestProtector.IsSealed(Encoding.UTF8.GetBytes(Address)));
        Assert.Equal(Address, protector.OpenText(Encoding.UTF8.GetBytes(Address)));
    }

    [Fact]
    public void Grain_state_is_sealed_whole_and_state_written_before_sealing_still_reads()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var plain = new OrleansGrainStorageSerializer(serializer);
        using var protector = TestAtRestKeys.Protector();
        var sealedSerializer = new SealedGrainStorageSerializer(plain, protector);
        var state = new Recipient("gd-1-1", Address);

        var legacy = plain.Serialize(state).ToArray();
        var stored = sealedSerializer.Serialize(state).ToArray();

        Assert.Contains(Address, Encoding.Latin1.GetString(legacy), StringComparison.Ordinal); // why sealing is needed
        Assert.DoesNotContain("docomo", Encoding.Latin1.GetString(stored), StringComparison.OrdinalIgnoreCase);
        Assert.False(AtRestProtector.IsSealed(legacy)); // Orleans' first byte is never the marker
        Assert.Equal(state, sealedSerializer.Deserialize<Recipient>(new BinaryData(stored)));
        Assert.Equal(state, sealedSerializer.Deserialize<Recipient>(new BinaryData(legacy)));
    }

    [Fact]
    public void The_production_profile_is_refused_without_keys_and_each_problem_names_its_setting()
    {
        var none = new AtRestOptionsValidator().Validate(null, new AtRestOptions());
        var bad = new AtRestOptionsValidator().Validate(null, new AtRestOptions
        {
            Keys = { ["1"] = Convert.ToBase64String(new byte[16]), ["300"] = Convert.ToBase64String(new byte[32]) },
            LookupKey = "not base64!",
        });
        var good = new AtRestOptionsValidator().Validate(null, new AtRestOptions
        {
            Keys = { ["1"] = Convert.ToBase64String(new byte[32]) },
            LookupKey = Convert.ToBase64String(new byte[32]),
        });

        Assert.True(none.Failed);
        Assert.Contains(none.Failures!, f => f.Contains("Pta:AtRest:Keys is required", StringComparison.Ordinal));
        Assert.Contains(none.Failures!, f => f.Contains("Pta:AtRest:LookupKey", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.Contains("Pta:AtRest:Keys:1 must be base64 of exactly 32 bytes", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.Contains("Pta:AtRest:Keys:300", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.Contains("Pta:AtRest:ActiveKeyId", StringComparison.Ordinal));
        Assert.True(good.Succeeded);
    }

    [Theory]
    [InlineData("550 5.1.1 <taro..yamada.@docomo.ne.jp>... Recipient address rejected", "550 5.1.1 <t***@docomo.ne.jp>... Recipient address rejected")]
    [InlineData("550 5.1.1 user unknown: Hanako.Work+pta@Gmail.com; try later", "550 5.1.1 user unknown: H***@gmail.com; try later")]
    [InlineData("421 4.7.0 try again later", "421 4.7.0 try again later")]
    [InlineData(null, null)]
    public void Addresses_in_a_carrier_reply_are_masked_before_it_is_stored(string? reply, string? stored)
    {
        Assert.Equal(stored, AddressRedaction.Redact(reply));
    }

    [Fact]
    public void The_owner_key_of_an_address_is_keyed_so_a_guessed_address_cannot_be_confirmed_without_the_key()
    {
        var owners = TestAtRestKeys.Owners();
        var otherKey = new AddressOwners(RandomNumberGenerator.GetBytes(32));

        Assert.Equal(owners.OwnerKey(Address), owners.OwnerKey(Address.ToUpperInvariant()));
        Assert.NotEqual(owners.OwnerKey(Address), otherKey.OwnerKey(Address));
        Assert.NotEqual(Ids.AddressKey(Address)[3..], owners.OwnerKey(Address)[3..]);
        Assert.StartsWith("ah-", owners.OwnerKey(Address), StringComparison.Ordinal);
    }
}
