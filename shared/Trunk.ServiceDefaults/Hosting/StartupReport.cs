using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Hosting;

/// <summary>Logs, once at start, who this process is and where it connects, never a password.</summary>
internal sealed partial class StartupReport(
    ServiceIdentity identity,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogIdentity(identity.Name, identity.InstanceId, environment.EnvironmentName);
        var rabbit = configuration.GetSection(RabbitMqSettings.Section);
        if (rabbit.Exists())
        {
            LogRabbitMq(rabbit["Host"], rabbit["Port"] ?? "5672", rabbit["VirtualHost"] ?? "/", rabbit["Username"]);
        }

        var postgres = configuration.GetConnectionString(PostgresSettings.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            try
            {
                var parsed = new NpgsqlConnectionStringBuilder(postgres);
                LogPostgres(parsed.Host, parsed.Port, parsed.Database, parsed.Username);
            }
            catch (ArgumentException)
            {
                // The settings validator has already stopped the host with a message naming the setting.
            }
        }

        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        LogTelemetry(string.IsNullOrWhiteSpace(otlp) ? "off" : otlp);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting {Service} as {Instance} ({Environment})")]
    private partial void LogIdentity(string service, string instance, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ {Host}:{Port} vhost {VirtualHost} as {Username}")]
    private partial void LogRabbitMq(string? host, string port, string virtualHost, string? username);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL {Host}:{Port} database {Database} as {Username}")]
    private partial void LogPostgres(string? host, int port, string? database, string? username);

    [LoggerMessage(Level = LogLevel.Information, Message = "OTLP export: {Endpoint}")]
    private partial void LogTelemetry(string endpoint);
}
