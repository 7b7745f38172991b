using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Trunks;

/// <summary>Refreshes this instance's trunk cache when Policy changes a trunk.</summary>
internal sealed class TrunkChangedConsumer(TrunkDirectory directory) : IConsumer<TrunkChanged>
{
    public Task Consume(ConsumeContext<TrunkChanged> context)
    {
        directory.Apply(context.Message);
        return Task.CompletedTask;
    }
}
