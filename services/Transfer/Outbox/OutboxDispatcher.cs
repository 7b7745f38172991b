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
/// message id, and deletes it. It
/// runs on a signal after each commit and on a poll, so messages left by a stopped instance go out when it
/// restarts. A crash between the send and the delete sends the message again with the same id: at-least-once, and
/// consumers deduplicate by message id.
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

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(e);
            }

            await signal.WaitAsync(settings.Value.OutboxPollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Dispatches up to one batch of pending messages in creation order and deletes the sent ones in one commit (the
    /// outbox holds only what is still to send, so finding it stays cheap however many messages went before); returns
    /// how many were sent.
    /// </summary>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var pending = await session.Query<OutboxMessage>()
            .Where(message => message.SentAt == null)
            .OrderBy(message => message.CreatedAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var sent = new ConcurrentQueue<OutboxMessage>();
        try
        {
            // Calls side by side (each send waits for the broker's confirm), each call's messages in their order; a
            // call whose send fails stops there and the rest of it waits for the next round.
            await Parallel.ForEachAsync(
                pending.GroupBy(message => message.CallId),
                new ParallelOptions { MaxDegreeOfParallelism = Lanes, CancellationToken = cancellationToken },
                async (call, token) =>
                {
                    foreach (var message in call)
                    {
                        await DispatchAsync(message, token).ConfigureAwait(false);
                        sent.Enqueue(message);
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            if (!sent.IsEmpty)
            {
                // What went out before a failure is not sent again.
                foreach (var message in sent)
                {
                    session.Delete(message);
                }

                await session.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return sent.Count;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying at the next poll")]
    private partial void LogDispatchFailed(Exception exception);
}
