using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// Keeps the saga's tables from growing without end: every <see cref="Every"/> (and at start) it deletes what is older
/// than <see cref="TransferSettings.Retention"/>: the inbox's rows (<see cref="ProcessedMessage"/>, one per message that
/// changed a saga) and the transfers that are over (Final, or Failed: a failed transfer waits only for a reservation
/// answered late, which comes within seconds). A redelivery comes within seconds or minutes of its first delivery (a
/// lost acknowledgement, the outbox sending again after a crash), far inside the retention, so it still finds both.
/// Transfers in any other state are kept, however old. Each statement deletes a few thousand rows, so that no delete
/// holds its locks for long; several instances may prune at once, each deleting what the others left.
/// </summary>
public sealed partial class SagaStorePruner(
    IDocumentStore store,
    TimeProvider time,
    IOptions<TransferSettings> settings,
    ILogger<SagaStorePruner> logger) : BackgroundService
{
    /// <summary>How often the tables are pruned.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    private const int BatchSize = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                await PruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogPruneFailed(e, Every);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Deletes the inbox rows and the finished transfers older than the retention; returns how many of each.</summary>
    public async Task<(int Processed, int Transfers)> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - settings.Value.Retention;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var processed = await DeleteAsync(connection, TableOf<ProcessedMessage>(), "processed_at < $1", cutoff, cancellationToken).ConfigureAwait(false);
        var transfers = await DeleteAsync(
            connection,
            TableOf<TransferState>(),
            $"data ->> '{nameof(TransferState.CurrentState)}' in ('Final', 'Failed') and mt_last_modified < $1",
            cutoff,
            cancellationToken).ConfigureAwait(false);
        if (processed + transfers > 0)
        {
            LogPruned(processed, transfers, cutoff);
        }

        return (processed, transfers);
    }

    private string TableOf<T>() => store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    private static async Task<int> DeleteAsync(NpgsqlConnection connection, string table, string where, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand($"delete from {table} where id in (select id from {table} where {where} limit {BatchSize})", connection)
        {
            Parameters = { new NpgsqlParameter { Value = cutoff } },
        };
        var total = 0;
        int deleted;
        do
        {
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Processed} inbox rows and {Transfers} finished transfers last changed before {Cutoff}")]
    private partial void LogPruned(int processed, int transfers, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the saga's tables failed; trying again in {Wait}")]
    private partial void LogPruneFailed(Exception exception, TimeSpan wait);
}
