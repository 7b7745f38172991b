using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.ServiceDefaults.Persistence;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// Keeps the saga's table from growing without end: every <see cref="RetentionPruner.Every"/> (and at start) it deletes the
/// transfers that are over (Final, or Failed: a failed transfer waits only for a reservation answered late, which comes
/// within seconds) and were last changed longer than <see cref="TransferSettings.Retention"/> ago, with the ids of the
/// messages they handled (<see cref="IOutboxSaga.Handled"/>). A redelivery comes within seconds or minutes of its first
/// delivery (a lost acknowledgement, the outbox sending again after a crash), far inside the retention, so it still finds
/// them. Transfers in any other state are kept, however old. Each statement deletes a few thousand rows, so that no
/// delete holds its locks for long; several instances may prune at once, each deleting what the others left.
/// </summary>
public sealed partial class SagaStorePruner(
    IDocumentStore store,
    TimeProvider time,
    IOptions<TransferSettings> settings,
    ILogger<SagaStorePruner> logger) : RetentionPruner(time, logger)
{
    private const int BatchSize = 5_000;

    private readonly TimeProvider _time = time;

    protected override string What => "saga's finished transfers";

    public override Task PruneAsync(CancellationToken cancellationToken) => PruneCountedAsync(cancellationToken);

    /// <summary>Deletes the finished transfers older than the retention; returns how many.</summary>
    public async Task<int> PruneCountedAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - settings.Value.Retention;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var transfers = await DeleteAsync(
            connection,
            TableOf<TransferState>(),
            $"data ->> '{nameof(TransferState.CurrentState)}' in ('Final', 'Failed') and mt_last_modified < $1",
            cutoff,
            cancellationToken).ConfigureAwait(false);
        if (transfers > 0)
        {
            LogPruned(transfers, cutoff);
        }

        return transfers;
    }

    private string TableOf<T>() => store.Options.FindOrResolveDocumentType(typeof(T)).TableName.QualifiedName;

    private static async Task<int> DeleteAsync(NpgsqlConnection connection, string table, string where, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand($"delete from {table} where id in (select id from {table} where {where} limit {BatchSize})", connection)
        {
            Parameters = { new NpgsqlParameter { Value = cutoff } },
        };
        return (await DeleteInBatchesAsync(delete, BatchSize, null, cancellationToken).ConfigureAwait(false)).Rows;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Transfers} finished transfers last changed before {Cutoff}")]
    private partial void LogPruned(int transfers, DateTimeOffset cutoff);
}
