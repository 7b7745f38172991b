using Marten;
using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.Logging;
using Trunk.Transfer.Outbox;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// MassTransit saga persistence on Marten (MassTransit.Marten is not served, so this is the small part of it we need).
/// <para>
/// One lightweight session per consumed message (for a message found by transfer id, on one connection and in one
/// transaction from its load to its commit). The state is a Marten document with optimistic concurrency
/// (<see cref="IOutboxSaga.Version"/>): a lost race throws at commit, nothing of the attempt is stored, and the bus
/// retry policy runs the message again against the fresh state. Messages the state machine produced
/// (<see cref="IOutboxSaga.Pending"/>) and the timeouts it scheduled or cancelled are written in that same transaction,
/// with the consumed message's id in the state (<see cref="IOutboxSaga.Handled"/>); the <see cref="OutboxDispatcher"/>
/// sends them after the commit. A message whose id the saga holds already is acknowledged and nothing of it is kept or
/// sent: at-least-once delivery, exactly-once effect.
/// </para>
/// </summary>
public sealed partial class MartenSagaRepositoryContextFactory<TSaga>(
    IDocumentStore store,
    ISagaConsumeContextFactory<IDocumentSession, TSaga> factory,
    OutboxDispatcher dispatcher,
    ILogger<MartenSagaRepositoryContextFactory<TSaga>> logger) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, IOutboxSaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = store.LightweightSession();
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory, dispatcher, LogDuplicate);
        await next.Send(repositoryContext).ConfigureAwait(false);
    }

    /// <summary>
    /// A message correlated by a query (the call's end, by call id) finds no transfer for most calls: its session takes
    /// a connection for the query and, only when it found one, another for the commit, rather than a transaction
    /// (<see cref="MartenSagaRepositoryContext{TSaga, TMessage}.Load"/>) that would be begun and rolled back for every
    /// call that ends.
    /// </summary>
    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = store.LightweightSession();
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory, dispatcher, LogDuplicate);
        var instances = await session.Query<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken).ConfigureAwait(false);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenSagaQueryContext<TSaga>(session, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenSagaQueryContext<TSaga>(session, cancellationToken)).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Add("persistence", "marten");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({MessageType}) was already handled; skipped")]
    private partial void LogDuplicate(Guid messageId, string messageType);
}
