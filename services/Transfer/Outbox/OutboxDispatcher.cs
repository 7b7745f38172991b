using System.Collections.Concurrent;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trunk.Transfer.Telemetry;

namespace Trunk.Transfer.Outbox;

/// <summary>
/// Sends (commands, to the owning Signaling instance's queue) or publishes (events and requests) every stored
/// <see cref="OutboxMessage"/>, each call's in creation order and calls side by side, with the stored id as the bus
/// message id, and deletes it. It reads the outbox on a signal after each commit and on a poll, so messages left by a
/// stopped instance go out when it restarts. A call's messages go out on a lane of their own as soon as they are read:
/// one slow call (each send waits for the broker's confirm) no longer holds back the next read, and the sent rows are
/// deleted in batches beside the sending. Rows being sent or waiting for their delete are held in memory and left out
/// of the next read; a call whose lane is still running is read again when the lane ends, so its order holds. A crash
/// between the send and the delete sends the message again with the same id: at-least-once, and consumers deduplicate
/// by message id.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDocumentStore store,
    IBus bus,
    OutboxSignal signal,
    TransferTelemetry telemetry,
    TimeProvider time,
    IOptions<TransferSettings> settings,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;

    /// <summary>How many calls' messages are sent at once.</summary>
    private const int Lanes = 16;

    /// <summary>How long the deleter gathers sent rows after the first, so that a delete commits many.</summary>
    private static readonly TimeSpan DeleteInterval = TimeSpan.FromMilliseconds(20);

    private const int MaxDeleteBatch = 500;

    private readonly ConcurrentDictionary<Guid, byte> _held = new();
    private readonly ConcurrentDictionary<Guid, byte> _busyCalls = new();
    private readonly ConcurrentQueue<OutboxMessage> _sent = new();
    private readonly OutboxSignal _sentSignal = new();
    private readonly SemaphoreSlim _lanes = new(Lanes, Lanes);

    public override void Dispose()
    {
        _lanes.Dispose();
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
                await ReadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(e);
            }

            await signal.WaitAsync(settings.Value.OutboxPollInterval, time, stoppingToken).ConfigureAwait(false);
        }

        await deleting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Reads the oldest pending messages not already held and starts a lane for each call that has none running.</summary>
    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var held = _held.Keys.ToArray();
        IReadOnlyList<OutboxMessage> pending;
        await using (var session = store.QuerySession())
        {
            pending = await session.Query<OutboxMessage>()
                .Where(message => message.SentAt == null && !held.Contains(message.Id))
                .OrderBy(message => message.CreatedAt)
                .Take(BatchSize)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var call in pending.GroupBy(message => message.CallId))
        {
            if (!_busyCalls.TryAdd(call.Key, 0))
            {
                // Its lane is still sending earlier messages: these follow once it ends (it signals).
                continue;
            }

            var messages = call.ToList();
            foreach (var message in messages)
            {
                _held[message.Id] = 0;
            }

            // The call is marked busy before its lane starts, and the lane unmarks it last: a fast lane cannot end
            // before the mark and leave the call busy for ever.
            _ = SendCallAsync(call.Key, messages, cancellationToken);
        }
    }

    /// <summary>One call's messages, in order; a failure stops the call there and lets the rest be read again.</summary>
    private async Task SendCallAsync(Guid callId, List<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var sent = 0;
        try
        {
            await _lanes.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var message in messages)
                {
                    await DispatchAsync(message, cancellationToken).ConfigureAwait(false);
                    _sent.Enqueue(message);
                    _sentSignal.Notify();
                    sent++;
                }
            }
            finally
            {
                _lanes.Release();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                LogDispatchFailed(e);
            }
        }
        finally
        {
            // What was not sent is read again, after what went before it.
            foreach (var message in messages.Skip(sent))
            {
                _held.TryRemove(message.Id, out _);
            }

            _busyCalls.TryRemove(callId, out _);
            signal.Notify();
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
                    await _sentSignal.WaitAsync(settings.Value.OutboxPollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                await Task.Delay(DeleteInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
                    await using var session = store.LightweightSession();
                    foreach (var message in batch)
                    {
                        session.Delete(message);
                    }

                    await session.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                    foreach (var message in batch)
                    {
                        _held.TryRemove(message.Id, out _);
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
                    await Task.Delay(settings.Value.OutboxPollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            else if (stopping)
            {
                return;
            }
        }
    }

    /// <summary>Rows an earlier version kept after sending (marked <see cref="OutboxMessage.SentAt"/>): removed at start.</summary>
    private async Task PurgeSentAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.DeleteWhere<OutboxMessage>(message => message.SentAt != null);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task DispatchAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = Type.GetType(message.MessageType, throwOnError: true)!;
        var body = JsonSerializer.Deserialize(message.Body, type, JsonSerializerOptions.Web)!;
        using var activity = telemetry.StartDispatch(message, type.Name, time.GetUtcNow());
        if (message.Destination is { } destination)
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(destination)).ConfigureAwait(false);
            await endpoint.Send(body, type, Pipe.Execute<SendContext>(context => Stamp(context, message)), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await bus.Publish(body, type, Pipe.Execute<PublishContext>(context => Stamp(context, message)), cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; what was not sent is read again at the next signal or poll")]
    private partial void LogDispatchFailed(Exception exception);
}
