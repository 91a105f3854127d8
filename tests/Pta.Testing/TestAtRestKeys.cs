using Pta.Grains.Guardians;
using Pta.Grains.Persistence;

namespace Pta.Testing;

/// <summary>
/// Fixed at-rest keys for test clusters, handed over as an operator would (configuration settings, which the
/// process-starting tests turn into environment variables). Fixed, so that every process of one test's cluster
/// and the test itself read the same sealed rows.
/// </summary>
public static class TestAtRestKeys
{
    public const byte KeyId = 1;

    public static readonly byte[] DataKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(0x40 + i))];

    public static readonly byte[] LookupKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(0x90 + i))];

    /// <summary>The settings that configure these keys (<c>Pta:AtRest:*</c>).</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        [$"{AtRestOptions.Section}:Keys:{KeyId}"] = Convert.ToBase64String(DataKey),
        [$"{AtRestOptions.Section}:LookupKey"] = Convert.ToBase64String(LookupKey),
    };

    public static AtRestProtector Protector() => new(new Dictionary<byte, byte[]> { [KeyId] = DataKey }, KeyId);

    public static AddressOwners Owners() => new(LookupKey);
}
