using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.ServiceDefaults.Persistence;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Health;

/// <summary>Ready only when PostgreSQL answers a query within a few seconds and Marten is warmed up.</summary>
internal sealed class PostgresHealthCheck(IOptions<PostgresSettings> settings, MartenWarmUp warmUp) : IHealthCheck
{
    private const int TimeoutSeconds = 3;

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(settings.Value.ConnectionString)
    {
        Timeout = TimeoutSeconds,
        CommandTimeout = TimeoutSeconds,
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return warmUp.Done
                ? HealthCheckResult.Healthy($"PostgreSQL at {connection.Host}:{connection.Port} answers.")
                : HealthCheckResult.Unhealthy($"PostgreSQL at {connection.Host}:{connection.Port} answers; the document code is still being compiled.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            var target = new NpgsqlConnectionStringBuilder(_connectionString);
            return HealthCheckResult.Unhealthy($"PostgreSQL at {target.Host}:{target.Port} is unreachable: {e.Message}", e);
        }
    }
}
