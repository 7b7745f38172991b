using MassTransit;
using Trunk.Policy.Balances;
using Trunk.ServiceDefaults;
using Messages = Trunk.Contracts.Policy;

namespace Trunk.Policy.Transfers;

/// <summary>
/// Answers <see cref="Messages.ChargeCall"/>: charges the real duration at the reserved rate and releases the rest.
/// Idempotent by transfer id: a redelivery answers with the first charge and appends nothing.
/// </summary>
public sealed partial class ChargeCallConsumer(
    BalanceLedger ledger,
    ServiceIdentity identity,
    TimeProvider time,
    ILogger<ChargeCallConsumer> logger) : IConsumer<Messages.ChargeCall>
{
    public async Task Consume(ConsumeContext<Messages.ChargeCall> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var charge = new Charge(request.AccountId, request.TransferId, request.CallId, request.Duration);
        var decision = await ledger.DecideAsync(
            request.AccountId,
            request.TransferId,
            (state, now) =>
            {
                var d = BalanceDecider.Handle(state, charge, now);
                return (d.Events, d);
            },
            context.CancellationToken).ConfigureAwait(false);

        var at = time.GetUtcNow();
        var charged = new Messages.CallCharged(request.CallId, at, identity.InstanceId, request.TransferId, request.AccountId, decision.Charged);
        LogCharged(request.CallId, request.TransferId, decision.Charged, decision.Released);
        // The saga publishes ChargeCall (no one waits); an operator's request gets its answer. A response without a
        // response address would be published: CallCharged twice in the call's history.
        if (context.ResponseAddress is not null)
        {
            await context.RespondAsync(charged).ConfigureAwait(false);
        }

        if (decision.Events.Count == 0)
        {
            return;
        }

        await context.Publish(charged, context.CancellationToken).ConfigureAwait(false);
        if (decision.Released > 0)
        {
            await context.Publish(
                new Messages.FundsReleased(request.CallId, at, identity.InstanceId, request.TransferId, request.AccountId, decision.Released),
                context.CancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Charged {Amount} for transfer {TransferId} of call {CallId}, released {Released}")]
    private partial void LogCharged(Guid callId, Guid transferId, decimal amount, decimal released);
}
