using JasperFx;
using Marten;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Scheduling;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// One consumed message's view of the saga store: every change (state, outbox, timeouts, inbox row) goes into the
/// session and is committed by one <c>SaveChangesAsync</c>, then the committed messages are handed to the dispatcher.
/// The inbox row's key is the message id: a message handled before fails the commit on it, and nothing of its second
/// handling is kept or sent (no look-up before each message: a third of the saga's round trips to the database).
/// </summary>
internal sealed class MartenSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, IOutboxSaga
    where TMessage : class
{
    private readonly IDocumentSession _session;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<IDocumentSession, TSaga> _factory;
    private readonly OutboxDispatcher _dispatcher;
    private readonly TimeProvider _time;
    private readonly Action<Guid, string> _duplicate;
    private bool _inboxWritten;

    public MartenSagaRepositoryContext(
        IDocumentSession session,
        ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<IDocumentSession, TSaga> factory,
        OutboxDispatcher dispatcher,
        TimeProvider time,
        Action<Guid, string> duplicate)
        : base(consumeContext)
    {
        _session = session;
        _consumeContext = consumeContext;
        _factory = factory;
        _dispatcher = dispatcher;
        _time = time;
        _duplicate = duplicate;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_session, context, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _session.Insert(instance);
        await _session.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        return await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _session.LoadAsync<TSaga>(correlationId, CancellationToken).ConfigureAwait(false);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _session.Insert(context.Saga);
        return Commit(context.Saga);
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _session.Store(context.Saga);
        return Commit(context.Saga);
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _session.Delete(context.Saga);
        return Commit(context.Saga);
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _session.Eject(context.Saga);
        context.Saga.Pending.Clear();
        return Task.CompletedTask;
    }

    private async Task Commit(TSaga saga)
    {
        var pending = saga.Pending;
        var messages = pending.Messages.ToArray();
        foreach (var message in messages)
        {
            _session.Insert(message);
        }

        foreach (var scheduled in pending.Scheduled)
        {
            _session.Insert(scheduled);
        }

        foreach (var cancelled in pending.Cancelled)
        {
            _session.Delete<ScheduledTimeout>(cancelled);
        }

        if (!_inboxWritten && _consumeContext.MessageId is { } messageId)
        {
            _session.Insert(new ProcessedMessage { Id = messageId, ProcessedAt = _time.GetUtcNow() });
            _inboxWritten = true;
        }

        try
        {
            await _session.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        }
        catch (DocumentAlreadyExistsException e) when (e.DocType == typeof(ProcessedMessage))
        {
            _duplicate(_consumeContext.MessageId!.Value, typeof(TMessage).Name);
            pending.Clear();
            return;
        }

        pending.Clear();
        if (messages.Length > 0)
        {
            _dispatcher.Dispatch(messages);
        }
    }
}
