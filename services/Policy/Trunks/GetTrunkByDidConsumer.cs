using Marten;
using MassTransit;
using Trunk.Contracts.Policy;
using Trunk.Numbering;

namespace Trunk.Policy.Trunks;

/// <summary>Answers Signaling's <see cref="GetTrunkByDid"/> with <see cref="TrunkFound"/> or <see cref="TrunkNotFound"/>.</summary>
public sealed partial class GetTrunkByDidConsumer(IQuerySession session, TimeProvider time, ILogger<GetTrunkByDidConsumer> logger)
    : IConsumer<GetTrunkByDid>
{
    public async Task Consume(ConsumeContext<GetTrunkByDid> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Message;
        var did = PhoneNumberRules.TryParse(request.Did, out _)?.E164 ?? request.Did;
        var assignment = await session.LoadAsync<DidAssignment>(did, context.CancellationToken).ConfigureAwait(false);
        var trunk = assignment is null
            ? null
            : await session.LoadAsync<InboundTrunk>(assignment.TrunkId, context.CancellationToken).ConfigureAwait(false);
        if (trunk is null)
        {
            LogNotFound(request.CallId, request.Did);
            await context.RespondAsync(new TrunkNotFound(request.CallId, time.GetUtcNow(), request.Did)).ConfigureAwait(false);
            return;
        }

        await context.RespondAsync(new TrunkFound(request.CallId, time.GetUtcNow(), trunk.ToSettings())).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No trunk owns DID {Did} (call {CallId})")]
    private partial void LogNotFound(Guid callId, string did);
}
