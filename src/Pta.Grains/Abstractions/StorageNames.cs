namespace Pta.Grains.Abstractions;

/// <summary>Names of the grain storage providers, shared by grains and hosting.</summary>
public static class StorageNames
{
    /// <summary>Living grain state: rosters, broadcasts, shards, credentials.</summary>
    public const string State = "pta-state";
}
