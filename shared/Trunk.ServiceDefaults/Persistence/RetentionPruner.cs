using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Trunk.ServiceDefaults.Persistence;

/// <summary>
/// A hosted service that deletes a service's records older than its retention setting at start and every
/// <see cref="Every"/>, in bounded batches (<see cref="PruneAsync"/>). A failure of any kind (PostgreSQL away, a deadlock
/// with another instance's pruner, Marten creating a table the schema's own start is creating at the same moment on a new
/// database) is logged and tried again at the next tick: housekeeping never stops the service (a background service's
/// exception stops its host). Several instances may prune at once.
/// </summary>
public abstract partial class RetentionPruner(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>How often the records are pruned.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>What is pruned, for the log (for example "calls").</summary>
    protected abstract string What { get; }

    /// <summary>Deletes every record older than the retention, a bounded batch per statement or transaction.</summary>
    public abstract Task PruneAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                await PruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPruneFailed(e, What, Every);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Runs <paramref name="delete"/>, a statement that deletes at most <paramref name="batchSize"/> rows, again until it
    /// deletes fewer, so that no statement holds its locks for long; each run's count goes to <paramref name="deleted"/>.
    /// Returns the rows deleted and the statements run.
    /// </summary>
    protected static async Task<(int Rows, int Statements)> DeleteInBatchesAsync(
        NpgsqlCommand delete, int batchSize, Action<int>? deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delete);
        var (rows, statements) = (0, 0);
        int count;
        do
        {
            count = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            rows += count;
            statements++;
            deleted?.Invoke(count);
        }
        while (count == batchSize);

        return (rows, statements);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the {What} past their retention failed; trying again in {Wait}")]
    private partial void LogPruneFailed(Exception exception, string what, TimeSpan wait);
}
