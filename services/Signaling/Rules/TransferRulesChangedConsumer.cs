using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Rules;

/// <summary>Replaces this instance's copy of an account's transfer rules when Policy changes them.</summary>
internal sealed class TransferRulesChangedConsumer(TransferRulesDirectory directory) : IConsumer<TransferRulesChanged>
{
    public Task Consume(ConsumeContext<TransferRulesChanged> context)
    {
        directory.Apply(context.Message);
        return Task.CompletedTask;
    }
}
