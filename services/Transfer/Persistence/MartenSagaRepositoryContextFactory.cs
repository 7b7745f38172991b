using Marten;
using MassTransit;
using MassTransit.Saga;
using Microsoft.Extensions.Logging;
using Trunk.Transfer.Outbox;

namespace Trunk.Transfer.Persistence;

/// <summary>
/// MassTransit saga persistence on Marten (MassTransit.Marten is not served, so this is the small part of it we need).
/// <para>
/// One lightweight session per consumed message. The state is a Marten document with optimistic concurrency
/// (<see cref="IOutboxSaga.Version"/>): a lost race throws at commit, nothing of the attempt is stored, and the bus
/// retry policy runs the message again against the fresh state. Messages the state machine produced
/// (<see cref="IOutboxSaga.Pending"/>), the timeouts it scheduled or cancelled and the inbox row of the consumed
/// message id are written in that same transaction; the <see cref="OutboxDispatcher"/> sends them after the commit.
/// A message whose id is already in the inbox is acknowledged without running the state machine: at-least-once
/// delivery, exactly-once effect.
/// </para>
/// </summary>
public sealed partial class MartenSagaRepositoryContextFactory<TSaga>(
    IDocumentStore store,
    ISagaConsumeContextFactory<IDocumentSession, TSaga> factory,
    OutboxDispatcher dispatcher,
    TimeProvider time,
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
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory, dispatcher, time, LogDuplicate);
        await next.Send(repositoryContext).ConfigureAwait(false);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = store.LightweightSession();
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory, dispatcher, time, LogDuplicate);
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
