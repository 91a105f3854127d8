namespace Pta.Silo.Hosting;

/// <summary>Where the cluster keeps membership, grain state and reminders.</summary>
public enum ClusterMode
{
    /// <summary>One process, localhost clustering, in-memory state: for trying it out, nothing to install.</summary>
    Embedded = 0,

    /// <summary>Production: ADO.NET clustering, grain storage and reminders on PostgreSQL; any number of silos.</summary>
    PostgreSql = 1,
}
