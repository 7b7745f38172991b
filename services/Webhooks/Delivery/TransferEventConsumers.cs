using Marten;
using MassTransit;
using Trunk.Contracts.Transfers;

namespace Trunk.Webhooks.Delivery;

/// <summary>Remembers each transfer's account and target from its <see cref="ReferReceived"/>, for the webhooks that follow.</summary>
public sealed class ReferReceivedConsumer(IDocumentStore store) : IConsumer<ReferReceived>
{
    public async Task Consume(ConsumeContext<ReferReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var refer = context.Message;
        await using var session = store.LightweightSession();
        session.Store(new TransferAccount(refer.TransferId, refer.CallId, refer.AccountId, refer.TargetNumber));
        await session.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Turns the four transfer outcomes into webhooks, keyed by the bus message's id (the same on every redelivery).</summary>
public sealed class TransferEventConsumer(WebhookDispatcher dispatcher) :
    IConsumer<TransferAccepted>,
    IConsumer<TargetRinging>,
    IConsumer<TransferCompleted>,
    IConsumer<TransferFailed>
{
    public Task Consume(ConsumeContext<TransferAccepted> context) =>
        DispatchAsync(context, context.Message.TransferId, (e, t) => Event(e, context.Message.At, WebhookEvent.Accepted, t, 202));

    public Task Consume(ConsumeContext<TargetRinging> context) =>
        DispatchAsync(context, context.Message.TransferId, (e, t) => Event(e, context.Message.At, WebhookEvent.Ringing, t, context.Message.SipCode) with
        {
            EarlyMedia = context.Message.EarlyMedia,
        });

    public Task Consume(ConsumeContext<TransferCompleted> context) =>
        DispatchAsync(context, context.Message.TransferId, (e, t) => Event(e, context.Message.At, WebhookEvent.Completed, t, 200));

    public Task Consume(ConsumeContext<TransferFailed> context) =>
        DispatchAsync(context, context.Message.TransferId, (e, t) => Event(e, context.Message.At, WebhookEvent.Failed, t, context.Message.SipCode) with
        {
            Reason = context.Message.Reason,
        });

    private static WebhookEvent Event(ConsumeContext context, DateTimeOffset at, string type, TransferAccount transfer, int sipCode) => new(
        context.MessageId!.Value,
        type,
        at,
        transfer.AccountId,
        transfer.CallId,
        transfer.Id,
        transfer.TargetNumber,
        sipCode);

    private Task DispatchAsync<T>(ConsumeContext<T> context, Guid transferId, Func<ConsumeContext, TransferAccount, WebhookEvent> create)
        where T : class
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"A {typeof(T).Name} arrived without a MessageId.");
        return dispatcher.DispatchAsync(messageId, transferId, transfer => create(context, transfer), context.CancellationToken);
    }
}
