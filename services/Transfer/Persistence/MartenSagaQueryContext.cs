using Marten;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Saga;

namespace Trunk.Transfer.Persistence;

/// <summary>Read-only access to saga instances outside a consumed message (MassTransit's load and query repositories).</summary>
internal sealed class MartenSagaQueryContext<TSaga>(IQuerySession session, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    LoadSagaRepositoryContext<TSaga>,
    QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId) =>
        (await session.LoadAsync<TSaga>(correlationId, CancellationToken).ConfigureAwait(false))!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var instances = await session.Query<TSaga>().Where(query.FilterExpression).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new LoadedSagaRepositoryQueryContext<TSaga>(this, instances);
    }
}
