using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>The Policy service as a test plays it: answers requests as its <see cref="PolicyScript"/> says.</summary>
public sealed class FakePolicy(PolicyScript script, TimeProvider time) : IConsumer<CheckTransfer>, IConsumer<ReserveFunds>
{
    public Task Consume(ConsumeContext<CheckTransfer> context)
    {
        var request = context.Message;
        return script.Check(request.TransferId) switch
        {
            PolicyAnswer.Allow => context.RespondAsync(new TransferAllowed(request.CallId, time.GetUtcNow(), request.TransferId, "US", 0.02m, script.RingTimeout(request.TransferId))),
            PolicyAnswer.Deny => context.RespondAsync(new TransferDenied(request.CallId, time.GetUtcNow(), request.TransferId, 403, "No permission for the target's country")),
            _ => Task.CompletedTask,
        };
    }

    public Task Consume(ConsumeContext<ReserveFunds> context)
    {
        var request = context.Message;
        return script.Funds(request.TransferId) switch
        {
            FundsAnswer.Reserve => context.RespondAsync(new FundsReserved(request.CallId, time.GetUtcNow(), "policy-test", request.TransferId, request.AccountId, 0.2m)),
            FundsAnswer.Insufficient => context.RespondAsync(new InsufficientFunds(request.CallId, time.GetUtcNow(), request.TransferId, request.AccountId, 0.2m, 0m)),
            _ => Task.CompletedTask,
        };
    }
}
