using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// Keeps the saga's inbox (<see cref="ProcessedMessage"/>, a row per message that changed a saga) from growing without
/// end: every <see cref="Every"/> (and at start) the rows older than <see cref="TransferSettings.InboxRetention"/> are
/// deleted, a few thousand per statement so that no delete holds its locks for long. A redelivery comes within seconds
/// or minutes of its first delivery (a lost acknowledgement, a retry, a restarted consumer), far inside the retention,
/// so it is still recognised. Several instances may prune at once: each deletes what the others left.
/// </summary>
public sealed partial class InboxPruner(
    IDocumentStore store,
    TimeProvider time,
    IOptions<TransferSettings> settings,
    ILogger<InboxPruner> logger) : BackgroundService
{
    /// <summary>How often the inbox is pruned.</summary>
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

    /// <summary>Deletes every inbox row older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - settings.Value.InboxRetention;
        var table = store.Options.FindOrResolveDocumentType(typeof(ProcessedMessage)).TableName.QualifiedName;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand(
            $"delete from {table} where id in (select id from {table} where processed_at < $1 limit {BatchSize})", connection)
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

        if (total > 0)
        {
            LogPruned(total, cutoff);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} inbox rows of messages processed before {Cutoff}")]
    private partial void LogPruned(int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the saga's inbox failed; trying again in {Wait}")]
    private partial void LogPruneFailed(Exception exception, TimeSpan wait);
}
