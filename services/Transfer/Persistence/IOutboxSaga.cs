using MassTransit;
using Trunk.Transfer.Outbox;

namespace Trunk.Transfer.Persistence;

/// <summary>A saga whose produced messages are stored with its state by <see cref="MartenSagaRepositoryContextFactory{TSaga}"/>.</summary>
public interface IOutboxSaga : ISaga
{
    /// <summary>Optimistic-concurrency version, kept by Marten.</summary>
    Guid Version { get; set; }

    /// <summary>What the current handling produced; never persisted.</summary>
    PendingMessages Pending { get; }
}
