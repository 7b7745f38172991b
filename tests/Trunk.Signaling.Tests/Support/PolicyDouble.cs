using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// Plays Policy: answers GetTrunkByDid and GetTransferRules from the test's trunks and accounts, and keeps the
/// ReserveFunds Signaling publishes in the call's log (the saga double answers for the funds).
/// </summary>
internal sealed class PolicyDouble(TrunkWorld world, TimeProvider time) : IConsumer<GetTrunkByDid>, IConsumer<GetTransferRules>, IConsumer<ReserveFunds>
{
    public Task Consume(ConsumeContext<GetTrunkByDid> context)
    {
        var request = context.Message;
        return world.Trunk(request.Did) is { } trunk
            ? context.RespondAsync(new TrunkFound(request.CallId, time.GetUtcNow(), trunk))
            : context.RespondAsync(new TrunkNotFound(request.CallId, time.GetUtcNow(), request.Did));
    }

    public Task Consume(ConsumeContext<GetTransferRules> context)
    {
        var request = context.Message;
        return world.Rules(request.AccountId) is { } rules
            ? context.RespondAsync(new TransferRulesFound(request.CallId, time.GetUtcNow(), rules))
            : context.RespondAsync(new TransferRulesNotFound(request.CallId, time.GetUtcNow(), request.AccountId));
    }

    public Task Consume(ConsumeContext<ReserveFunds> context)
    {
        world.Log(context.Message.CallId)?.Add(context.Message);
        return Task.CompletedTask;
    }
}
