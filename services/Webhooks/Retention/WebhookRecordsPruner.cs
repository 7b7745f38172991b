using System.Diagnostics.Metrics;
using System.Linq.Expressions;
using Marten;
using Marten.Linq.LastModified;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Persistence;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Webhooks.Delivery;

namespace Trunk.Webhooks.Retention;

/// <summary>
/// Deletes the webhook records older than <see cref="WebhooksSettings.Retention"/>: deliveries (kept so that a redelivered
/// event is not sent again; a redelivery comes within minutes), dead letters (kept for an operator to resend) and the
/// transfers' accounts learnt from <c>ReferReceived</c> (needed until the transfer's last event, minutes later). Each
/// statement deletes at most <see cref="BatchSize"/> rows, so that none holds its locks for long.
/// </summary>
public sealed partial class WebhookRecordsPruner(
    IDocumentStore store,
    TimeProvider time,
    IOptions<WebhooksSettings> settings,
    ServiceIdentity identity,
    ILogger<WebhookRecordsPruner> logger) : RetentionPruner(time, logger)
{
    /// <summary>The most rows one statement deletes.</summary>
    public const int BatchSize = 5_000;

    private readonly TimeProvider _time = time;
    private readonly ILogger<WebhookRecordsPruner> _logger = logger;
    private readonly Counter<long> _pruned = identity.Meter.CreateCounter(TrunkMetrics.PrunedWebhookRecords);

    protected override string What => "webhook records";

    public override Task PruneAsync(CancellationToken cancellationToken) => PruneRecordsAsync(cancellationToken);

    /// <summary>Deletes the records older than the retention; returns how many of each, and the statements it took.</summary>
    public async Task<WebhookRecordsPruned> PruneRecordsAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var cutoff = _time.GetUtcNow() - settings.Value.Retention;
        await using var session = store.QuerySession();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var deliveries = await DeleteAsync(connection, session.Query<WebhookDelivery>().Where(d => d.DeliveredAt < cutoff), d => d.Id, "delivery", cancellationToken).ConfigureAwait(false);
        var deadLetters = await DeleteAsync(connection, session.Query<DeadLetter>().Where(l => l.FailedAt < cutoff), l => l.Id, "dead_letter", cancellationToken).ConfigureAwait(false);
        var transfers = await DeleteAsync(connection, session.Query<TransferAccount>().Where(t => t.ModifiedBefore(cutoff)), t => t.Id, "transfer", cancellationToken).ConfigureAwait(false);
        var pruned = new WebhookRecordsPruned(deliveries.Rows, deadLetters.Rows, transfers.Rows, deliveries.Statements + deadLetters.Statements + transfers.Statements);
        if (pruned.Deliveries + pruned.DeadLetters + pruned.Transfers > 0)
        {
            LogPruned(pruned.Deliveries, pruned.DeadLetters, pruned.Transfers, cutoff, _time.GetElapsedTime(started).TotalMilliseconds);
        }

        return pruned;
    }

    /// <summary>Deletes what <paramref name="old"/> finds, <see cref="BatchSize"/> rows a statement (Marten writes the query, so it reads the documents' indexes).</summary>
    private async Task<(int Rows, int Statements)> DeleteAsync<T>(
        NpgsqlConnection connection, IQueryable<T> old, Expression<Func<T, Guid>> id, string record, CancellationToken cancellationToken)
        where T : notnull
    {
        var select = old.Select(id).Take(BatchSize).ToCommand();
        var table = store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;
        await using var delete = new NpgsqlCommand($"delete from {table} where id in ({select.CommandText.TrimEnd().TrimEnd(';')})", connection);
        foreach (NpgsqlParameter parameter in select.Parameters)
        {
            delete.Parameters.Add(parameter.Clone());
        }

        return await DeleteInBatchesAsync(
            delete, BatchSize, deleted => _pruned.Add(deleted, new KeyValuePair<string, object?>("record", record)), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Deliveries} webhook deliveries, {DeadLetters} dead letters and {Transfers} transfers older than {Cutoff} in {ElapsedMs:F0} ms")]
    private partial void LogPruned(int deliveries, int deadLetters, int transfers, DateTimeOffset cutoff, double elapsedMs);
}

/// <summary>What one prune deleted, and the delete statements it took (one a kind at least).</summary>
public sealed record WebhookRecordsPruned(int Deliveries, int DeadLetters, int Transfers, int Statements);
