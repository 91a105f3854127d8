using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Pta.Grains.Persistence;

namespace Pta.Benchmarks.AtRest;

/// <summary>
/// The cost of encryption at rest per value (<see cref="AtRestProtector"/>): sealing one address as the audience
/// store does for every row of a broadcast's COPY, opening it as each shard does on start, and sealing a grain state
/// the size of a 2,000-guardian school's roster (about 200 KB in Orleans' binary format).
/// </summary>
[MemoryDiagnoser]
public class SealBenchmarks
{
    private const string Address = "hogosha0123456.school-42@docomo.ne.jp";
    private AtRestProtector _protector = null!;
    private byte[] _sealedAddress = null!;
    private byte[] _state = null!;

    [GlobalSetup]
    public void Setup()
    {
        _protector = new AtRestProtector(new Dictionary<byte, byte[]> { [1] = RandomNumberGenerator.GetBytes(32) }, 1);
        _sealedAddress = _protector.SealText(Address);
        _state = RandomNumberGenerator.GetBytes(200 * 1024);
    }

    [GlobalCleanup]
    public void Cleanup() => _protector.Dispose();

    [Benchmark]
    public byte[] SealAddress() => _protector.SealText(Address);

    [Benchmark]
    public string OpenAddress() => _protector.OpenText(_sealedAddress);

    [Benchmark]
    public byte[] SealSchoolState() => _protector.Seal(_state);
}
