using System.Collections.Concurrent;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trunk.Transfer.Telemetry;

namespace Trunk.Transfer.Outbox;

/// <summary>
/// Sends (commands, to the owning Signaling instance's queue) or publishes (events and requests) every stored
/// <see cref="OutboxMessage"/>, each call's in creation order and calls side by side, with the stored id as the bus
/// message id, and deletes it. The saga's repository and the timeout scheduler hand each committed row over in memory
/// (<see cref="Dispatch"/>), so a message leaves right after its commit without a read of the outbox; the table is read
/// only for rows no running dispatcher holds: at start, every row older than this process (left by a stopped
/// instance; rows handed over before that read wait behind it), and on every poll, rows older than
/// <see cref="OrphanAge"/> (committed by an instance that stopped since).
/// A call's rows go out on a lane of their own, one after another, each after the broker's confirm; a failed send is
/// tried again in place, so a call's order holds while the broker is away. Sent rows are deleted in batches beside the
/// sending and stay held until their delete commits. A crash between the send and the delete sends the message again
/// with the same id: at-least-once, and consumers deduplicate by message id.
/// </summary>
public sealed partial class OutboxDispatcher : BackgroundService
{
    private const int BatchSize = 100;

    /// <summary>How many calls' messages are sent at once.</summary>
    private const int Lanes = 16;

    /// <summary>How long the deleter gathers sent rows after the first, so that a delete commits many.</summary>
    private static readonly TimeSpan DeleteInterval = TimeSpan.FromMilliseconds(20);

    private const int MaxDeleteBatch = 500;

    /// <summary>
    /// A row this old that this dispatcher does not hold is taken over: its own instance handed it to its dispatcher
    /// within milliseconds of the commit, so by now that instance has stopped.
    /// </summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromSeconds(10);

    private readonly IDocumentStore _store;
    private readonly IBus _bus;
    private readonly TransferTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly IOptions<TransferSettings> _settings;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly Lock _gate = new();

    /// <summary>The calls whose lane runs, with the rows it has still to send (the first one in flight).</summary>
    private readonly Dictionary<Guid, Queue<OutboxMessage>> _calls = [];

    /// <summary>Rows queued, in flight or waiting for their delete: never taken again.</summary>
    private readonly HashSet<Guid> _held = [];

    /// <summary>Rows handed over before the first read of the outbox: they follow the rows a stopped instance left.</summary>
    private List<OutboxMessage>? _beforeFirstRead = [];

    private readonly ConcurrentQueue<OutboxMessage> _sent = new();
    private readonly OutboxSignal _sentSignal = new();
    private readonly SemaphoreSlim _lanes = new(Lanes, Lanes);
    private readonly CancellationTokenSource _stopping = new();
    private string? _outboxTable;

    public OutboxDispatcher(
        IDocumentStore store,
        IBus bus,
        TransferTelemetry telemetry,
        TimeProvider time,
        IOptions<TransferSettings> settings,
        ILogger<OutboxDispatcher> logger)
    {
        _store = store;
        _bus = bus;
        _telemetry = telemetry;
        _time = time;
        _settings = settings;
        _logger = logger;
        _startedAt = time.GetUtcNow();
    }

    /// <summary>Rows just committed: each goes out on its call's lane, after the call's rows queued before it.</summary>
    public void Dispatch(IReadOnlyList<OutboxMessage> committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        lock (_gate)
        {
            if (_beforeFirstRead is not null)
            {
                _beforeFirstRead.AddRange(committed);
                return;
            }

            EnqueueAll(committed);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _lanes.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PurgeSentAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDispatchFailed(e);
        }

        var deleting = DeleteSentAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ReadUnheldAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                    // A backlog: the next batch at once.
                }

                ReleaseHandedOver();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(e);
            }

            await Task.Delay(_settings.Value.OutboxPollInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await deleting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Queues the oldest rows no dispatcher holds (older than this process, or than <see cref="OrphanAge"/>); returns how many were read.</summary>
    private async Task<int> ReadUnheldAsync(CancellationToken cancellationToken)
    {
        var orphaned = _time.GetUtcNow() - OrphanAge;
        var cutoff = orphaned > _startedAt ? orphaned : _startedAt;
        Guid[] held;
        lock (_gate)
        {
            held = [.. _held];
        }

        IReadOnlyList<OutboxMessage> pending;
        await using (var session = _store.QuerySession())
        {
            pending = await session.Query<OutboxMessage>()
                .Where(message => message.SentAt == null && message.CreatedAt < cutoff && !held.Contains(message.Id))
                .OrderBy(message => message.CreatedAt)
                .Take(BatchSize)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        if (pending.Count > 0)
        {
            LogTakenOver(pending.Count, cutoff);
            lock (_gate)
            {
                EnqueueAll(pending);
            }
        }

        return pending.Count;
    }

    /// <summary>
    /// After the first whole read: the rows this instance committed meanwhile are queued behind the ones read (a call
    /// whose saga went on after a restart keeps its order).
    /// </summary>
    private void ReleaseHandedOver()
    {
        lock (_gate)
        {
            if (_beforeFirstRead is null)
            {
                return;
            }

            EnqueueAll(_beforeFirstRead);
            _beforeFirstRead = null;
        }
    }

    /// <summary>Under the gate: holds each row not held yet and queues it on its call's lane, starting the lane when none runs.</summary>
    private void EnqueueAll(IEnumerable<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!_held.Add(message.Id))
            {
                continue;
            }

            if (_calls.TryGetValue(message.CallId, out var queue))
            {
                queue.Enqueue(message);
                continue;
            }

            _calls[message.CallId] = new Queue<OutboxMessage>([message]);
            _ = SendCallAsync(message.CallId, _stopping.Token);
        }
    }

    /// <summary>One call's rows, in order, until its queue is empty; a failed send is tried again until it succeeds or the service stops.</summary>
    private async Task SendCallAsync(Guid callId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await _lanes.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    OutboxMessage next;
                    lock (_gate)
                    {
                        var queue = _calls[callId];
                        if (!queue.TryPeek(out next!))
                        {
                            _calls.Remove(callId);
                            return;
                        }
                    }

                    await DispatchWithRetryAsync(next, cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _calls[callId].Dequeue();
                    }

                    _sent.Enqueue(next);
                    _sentSignal.Notify();
                }
            }
            finally
            {
                _lanes.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the rows not sent stay in the outbox for the next start.
        }
    }

    private async Task DispatchWithRetryAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await DispatchAsync(message, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                LogSendFailed(e, message.CallId, message.Id);
                await Task.Delay(_settings.Value.OutboxPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes the sent rows in batches; a row stays held until its delete commits, so it is never sent twice by this instance.</summary>
    private async Task DeleteSentAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var stopping = stoppingToken.IsCancellationRequested;
            if (!stopping)
            {
                if (_sent.IsEmpty)
                {
                    // Asleep while nothing is sent.
                    await _sentSignal.WaitAsync(_settings.Value.OutboxPollInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                await Task.Delay(DeleteInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            var batch = new List<OutboxMessage>();
            while (batch.Count < MaxDeleteBatch && _sent.TryDequeue(out var message))
            {
                batch.Add(message);
            }

            if (batch.Count > 0)
            {
                try
                {
                    await DeleteAsync(batch).ConfigureAwait(false);
                    lock (_gate)
                    {
                        foreach (var message in batch)
                        {
                            _held.Remove(message.Id);
                        }
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    LogDispatchFailed(e);
                    foreach (var message in batch)
                    {
                        _sent.Enqueue(message);
                    }

                    if (stopping)
                    {
                        return;
                    }

                    // The rows stay held (not sent again); their delete is tried again after the poll interval.
                    await Task.Delay(_settings.Value.OutboxPollInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            else if (stopping)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One statement, committed on its own, for the whole batch (a session would wrap one delete per row in a
    /// transaction of its own).
    /// </summary>
    private async Task DeleteAsync(List<OutboxMessage> batch)
    {
        _outboxTable ??= OutboxMessage.Table(_store.Options);
        await using var connection = _store.Storage.Database.CreateConnection();
        await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using var delete = new NpgsqlCommand($"delete from {_outboxTable} where id = any($1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = batch.Select(message => message.Id).ToArray() } },
        };
        await delete.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Rows an earlier version kept after sending (marked <see cref="OutboxMessage.SentAt"/>): removed at start.</summary>
    private async Task PurgeSentAsync(CancellationToken cancellationToken)
    {
        await using var session = _store.LightweightSession();
        session.DeleteWhere<OutboxMessage>(message => message.SentAt != null);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DispatchAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = Type.GetType(message.MessageType, throwOnError: true)!;
        var body = JsonSerializer.Deserialize(message.Body, type, JsonSerializerOptions.Web)!;
        using var activity = _telemetry.StartDispatch(message, type.Name, _time.GetUtcNow());
        if (message.Destination is { } destination)
        {
            var endpoint = await _bus.GetSendEndpoint(new Uri(destination)).ConfigureAwait(false);
            await endpoint.Send(body, type, Pipe.Execute<SendContext>(context => Stamp(context, message)), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _bus.Publish(body, type, Pipe.Execute<PublishContext>(context => Stamp(context, message)), cancellationToken).ConfigureAwait(false);
        }

        LogDispatched(message.CallId, message.TransferId, type.Name, message.Destination ?? "publish");
    }

    private static void Stamp(SendContext context, OutboxMessage message)
    {
        context.MessageId = message.Id;
        context.CorrelationId = message.TransferId;
        if (message.ResponseAddress is { } responseAddress)
        {
            context.RequestId = message.Id;
            context.ResponseAddress = new Uri(responseAddress);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} transfer {TransferId}: {MessageType} dispatched to {Destination}")]
    private partial void LogDispatched(Guid callId, Guid transferId, string messageType, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox read or delete failed; tried again at the next poll")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: sending outbox message {MessageId} failed; trying again (the call's later messages wait behind it)")]
    private partial void LogSendFailed(Exception exception, Guid callId, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} outbox messages created before {Cutoff} and held by no dispatcher taken over")]
    private partial void LogTakenOver(int count, DateTimeOffset cutoff);
}
