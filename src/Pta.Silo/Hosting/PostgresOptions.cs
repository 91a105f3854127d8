namespace Pta.Silo.Hosting;

/// <summary>The production database (section <c>Pta:Postgres</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Pta:Postgres";

    /// <summary>An Npgsql connection string; required when the cluster mode is PostgreSql.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Create or update the schema at start-up (idempotent, serialised by an advisory lock).</summary>
    public bool ApplySchemaOnStart { get; set; } = true;
}
