namespace Trunk.ServiceDefaults.Settings;

/// <summary>The PostgreSQL database of a service that keeps state (<c>ConnectionStrings:Postgres</c>).</summary>
public sealed class PostgresSettings
{
    public const string ConnectionStringName = "Postgres";

    public string ConnectionString { get; set; } = "";

    /// <summary>Create or update the service's schema at start (on by default in Development).</summary>
    public bool ApplySchemaOnStart { get; set; }
}
