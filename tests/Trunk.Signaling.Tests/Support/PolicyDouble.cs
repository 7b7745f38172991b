using MassTransit;
using Trunk.Contracts.Policy;

namespace Trunk.Signaling.Tests.Support;

/// <summary>Plays Policy: answers GetTrunkByDid from the test's trunks.</summary>
internal sealed class PolicyDouble(TrunkWorld world, TimeProvider time) : IConsumer<GetTrunkByDid>
{
    public Task Consume(ConsumeContext<GetTrunkByDid> context)
    {
        var request = context.Message;
        return world.Trunk(request.Did) is { } trunk
            ? context.RespondAsync(new TrunkFound(request.CallId, time.GetUtcNow(), trunk))
            : context.RespondAsync(new TrunkNotFound(request.CallId, time.GetUtcNow(), request.Did));
    }
}
