using MassTransit;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.Transfer.Saga;

/// <summary>
/// In front of the saga on its queues: a leg's hang-up reaches the saga only when the leg is the caller's (the
/// endpoint's after a 202 must not stop the transfer, the target's follows the saga's own commands). The others are
/// acknowledged here as consumed, so they neither cost the saga a look-up by call id, one message at a time per shard,
/// nor end in the queue's <c>_skipped</c> queue.
/// </summary>
public sealed class CallerHangUpsOnly : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.TryGetMessage<LegHungUp>(out var hangUp) && hangUp.Message.Leg != LegSide.Caller)
        {
            await context.NotifyConsumed(hangUp, context.ReceiveContext.ElapsedTime, nameof(CallerHangUpsOnly)).ConfigureAwait(false);
            return;
        }

        await next.Send(context).ConfigureAwait(false);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("callerHangUpsOnly");
}
