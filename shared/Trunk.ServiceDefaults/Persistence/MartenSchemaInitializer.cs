using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Persistence;

/// <summary>
/// Creates or updates the service's schema when <c>Postgres:ApplySchemaOnStart</c> is on (the default in
/// Development). It runs in the background and retries, so a database that is late or down keeps the host
/// alive and not ready, instead of crashing it. Then it warms Marten up (<see cref="MartenWarmUp"/>).
/// </summary>
internal sealed partial class MartenSchemaInitializer(
    IDocumentStore store,
    MartenWarmUp warmUp,
    IOptions<PostgresSettings> settings,
    ILogger<MartenSchemaInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Value.ApplySchemaOnStart)
        {
            await ApplySchemaAsync(stoppingToken).ConfigureAwait(false);
        }

        await warmUp.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task ApplySchemaAsync(CancellationToken stoppingToken)
    {

        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                // MartenSchemaException: a first request's on-demand DDL raced ours ("relation already exists").
                ShouldHandle = new PredicateBuilder()
                    .Handle<NpgsqlException>()
                    .Handle<TimeoutException>()
                    .Handle<MartenSchemaException>(),
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(15),
                MaxRetryAttempts = int.MaxValue,
                UseJitter = true,
                OnRetry = retry =>
                {
                    LogSchemaRetry(retry.AttemptNumber + 1, retry.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        await pipeline.ExecuteAsync(
            async token => await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().WaitAsync(token).ConfigureAwait(false),
            stoppingToken).ConfigureAwait(false);
        LogSchemaReady();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL schema not applied yet (attempt {Attempt}): {Error}")]
    private partial void LogSchemaRetry(int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is up to date")]
    private partial void LogSchemaReady();
}
