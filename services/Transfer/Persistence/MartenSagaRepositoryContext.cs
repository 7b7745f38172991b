using Marten;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Scheduling;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// One consumed message's view of the saga store: every change (state with the consumed message's id, outbox, timeouts)
/// goes into the session and is committed by one <c>SaveChangesAsync</c>, then the committed messages are handed to the
/// dispatcher. The saga's own list of the message ids it handled (<see cref="IOutboxSaga.Handled"/>) is its inbox: a
/// message it handled before is recognised at the commit and nothing of its second handling is kept or sent (no
/// look-up before each message, and no row of its own: the id travels in the state's row).
/// </summary>
internal sealed class MartenSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, IOutboxSaga
    where TMessage : class
{
    /// <summary>How many of the latest message ids a saga keeps: far more than one transfer handles.</summary>
    private const int HandledKept = 64;

    private readonly IDocumentSession _session;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<IDocumentSession, TSaga> _factory;
    private readonly OutboxDispatcher _dispatcher;
    private readonly Action<Guid, string> _duplicate;

    public MartenSagaRepositoryContext(
        IDocumentSession session,
        ConsumeContext<TMessage> consumeContext,
        ISagaConsumeContextFactory<IDocumentSession, TSaga> factory,
        OutboxDispatcher dispatcher,
        Action<Guid, string> duplicate)
        : base(consumeContext)
    {
        _session = session;
        _consumeContext = consumeContext;
        _factory = factory;
        _dispatcher = dispatcher;
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

    /// <summary>
    /// Loads in a transaction that the commit ends: the load and the commit share one connection (else each would take
    /// one from the pool, and every connection taken from the pool is reset by a statement first), and a message by
    /// transfer id nearly always changes its transfer (one that changes nothing rolls it back). No saga has the empty id:
    /// a message that names no transfer (the ReferRejected of a REFER Signaling refused itself) finds none without
    /// touching the database.
    /// </summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        if (correlationId == Guid.Empty)
        {
            return null!;
        }

        await _session.BeginTransactionAsync(CancellationToken).ConfigureAwait(false);
        var instance = await _session.LoadAsync<TSaga>(correlationId, CancellationToken).ConfigureAwait(false);
        return instance is null
            ? null!
            : await _factory.CreateSagaConsumeContext(_session, _consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Commit(context.Saga, saga => _session.Insert(saga));
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Commit(context.Saga, saga => _session.Store(saga));
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Commit(context.Saga, saga => _session.Delete(saga));
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _session.Eject(context.Saga);
        context.Saga.Pending.Clear();
        return Task.CompletedTask;
    }

    private async Task Commit(TSaga saga, Action<TSaga> write)
    {
        var pending = saga.Pending;
        if (_consumeContext.MessageId is { } messageId)
        {
            if (saga.Handled.Contains(messageId))
            {
                _duplicate(messageId, typeof(TMessage).Name);
                pending.Clear();
                return;
            }

            saga.Handled.Add(messageId);
            if (saga.Handled.Count > HandledKept)
            {
                saga.Handled.RemoveAt(0);
            }
        }

        write(saga);
        var messages = pending.Messages.ToArray();
        OutboxMessage.QueueInsert(_session, messages);

        foreach (var scheduled in pending.Scheduled)
        {
            _session.Insert(scheduled);
        }

        foreach (var cancelled in pending.Cancelled)
        {
            _session.Delete<ScheduledTimeout>(cancelled);
        }

        await _session.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
        pending.Clear();
        if (messages.Length > 0)
        {
            _dispatcher.Dispatch(messages);
        }
    }
}
