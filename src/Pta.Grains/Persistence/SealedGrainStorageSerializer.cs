using Orleans.Storage;

namespace Pta.Grains.Persistence;

/// <summary>
/// Grain state as the database sees it: the inner serializer's bytes, sealed whole by <see cref="AtRestProtector"/>.
/// Orleans' binary format keeps strings as UTF-8, so without this every roster, guardian and registration row would
/// show its addresses in a dump. Rows written before sealing existed have no header and are read as they are;
/// the grain's next write seals them (or the <c>reseal</c> command does it for all rows at once).
/// </summary>
public sealed class SealedGrainStorageSerializer(IGrainStorageSerializer inner, AtRestProtector protector) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) =>
        new(protector.Seal(inner.Serialize(input).ToMemory().Span));

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var stored = input.ToMemory();
        return AtRestProtector.IsSealed(stored.Span)
            ? inner.Deserialize<T>(new BinaryData(protector.Open(stored.Span)))
            : inner.Deserialize<T>(input);
    }
}
