using MassTransit;
using Trunk.Transfer.Outbox;

namespace Trunk.Transfer.Persistence;

/// <summary>A saga whose produced messages are stored with its state by <see cref="MartenSagaRepositoryContextFactory{TSaga}"/>.</summary>
public interface IOutboxSaga : ISaga
{
    /// <summary>Optimistic-concurrency version, kept by Marten.</summary>
    Guid Version { get; set; }

    /// <summary>
    /// The ids of the latest bus messages that changed it (its inbox, saved with it): a redelivered one is recognised at
    /// the commit and changes nothing.
    /// </summary>
    List<Guid> Handled { get; }

    /// <summary>What the current handling produced; never persisted.</summary>
    PendingMessages Pending { get; }
}
