using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Scheduling;

/// <summary>
/// The saga's persistent scheduler. Debian's RabbitMQ has no delayed-message plugin and Quartz is not served, so
/// timeouts are <see cref="ScheduledTimeout"/> documents in PostgreSQL, written in the saga's own transaction
/// (scheduling and cancelling are atomic with the state change). This service polls on a
/// <see cref="TimeProvider"/> timer; each due timeout is moved, in one transaction, from the schedule to the outbox
/// (sent to the saga's queue of its call). Nothing lives only in memory: a timeout scheduled before a restart
/// fires after it, at most one poll interval late. Two instances moving the same timeout collide on the outbox id
/// and one of them rolls back.
/// </summary>
public sealed partial class TimeoutScheduler(
    IDocumentStore store,
    OutboxDispatcher dispatcher,
    SagaShards shards,
    TimeProvider time,
    IOptions<TransferSettings> settings,
    ILogger<TimeoutScheduler> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.SchedulerPollInterval, time);
        do
        {
            try
            {
                await MoveDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Moves every timeout due now to the outbox; returns how many.</summary>
    public async Task<int> MoveDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        var due = await session.Query<ScheduledTimeout>()
            .Where(message => message.DueAt <= now)
            .OrderBy(message => message.DueAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return 0;
        }

        var fired = new List<OutboxMessage>(due.Count);
        foreach (var timeout in due)
        {
            session.Delete(timeout);
            var message = new OutboxMessage
            {
                Id = timeout.Id,
                CallId = timeout.CallId,
                TransferId = timeout.TransferId,
                CreatedAt = now,
                Destination = shards.Address,
                MessageType = timeout.MessageType,
                Body = timeout.Body,
                TraceParent = timeout.TraceParent,
            };
            session.Insert(message);
            fired.Add(message);
            LogDue(timeout.CallId, timeout.TransferId, timeout.MessageType, timeout.DueAt);
        }

        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        dispatcher.Dispatch(fired);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} transfer {TransferId}: timeout {MessageType} due at {DueAt} fired")]
    private partial void LogDue(Guid callId, Guid transferId, string messageType, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timeout poll failed; retrying at the next tick")]
    private partial void LogPollFailed(Exception exception);
}
