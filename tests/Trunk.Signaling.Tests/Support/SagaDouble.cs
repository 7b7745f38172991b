using MassTransit;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;

namespace Trunk.Signaling.Tests.Support;

/// <summary>
/// Plays the Transfer saga on the real bus: registers each call, and answers ReferReceived and the target
/// events with the commands the saga sends (AnswerRefer, SendReferNotify, DialTarget, BridgeLegs, HangUpLeg) to the call's queue.
/// </summary>
internal sealed class SagaDouble(TrunkWorld world, TimeProvider time)
    : IConsumer<CallReceived>, IConsumer<ReferReceived>, IConsumer<TargetRinging>, IConsumer<TargetAnswered>,
        IConsumer<TargetFailed>, IConsumer<CallBridged>
{
    public Task Consume(ConsumeContext<CallReceived> context)
    {
        world.Received(context.Message);
        return Task.CompletedTask;
    }

    public async Task Consume(ConsumeContext<ReferReceived> context)
    {
        var refer = context.Message;
        var script = world.Script(refer.CallId);
        var decision = refer.Decision?.SipCode ?? script.Decision;
        if (decision != 202)
        {
            await AnswerAsync(context, refer, decision);
            return;
        }

        var queue = await AnswerAsync(context, refer, decision);

        await queue.Send(new SendReferNotify(refer.CallId, time.GetUtcNow(), refer.TransferId, 100, "Trying", false));
        if (script.NotifyInstead is { } code)
        {
            await queue.Send(new SendReferNotify(refer.CallId, time.GetUtcNow(), refer.TransferId, code, "Payment Required", true));
        }
        else if (script.Dial)
        {
            await queue.Send(new DialTarget(refer.CallId, time.GetUtcNow(), refer.TransferId, refer.TargetNumber, refer.CallerNumber, refer.ReferredBy,
                script.RingTimeout ?? TimeSpan.FromSeconds(10)));
        }
    }

    public Task Consume(ConsumeContext<TargetRinging> context)
    {
        var ringing = context.Message;
        return SendAsync(context, ringing.CallId, new SendReferNotify(ringing.CallId, time.GetUtcNow(), ringing.TransferId, ringing.SipCode,
            ringing.SipCode == 180 ? "Ringing" : "Session Progress", false));
    }

    public Task Consume(ConsumeContext<TargetAnswered> context)
    {
        var answered = context.Message;
        return SendAsync(context, answered.CallId, new BridgeLegs(answered.CallId, time.GetUtcNow(), answered.TransferId));
    }

    /// <summary>As the saga: once bridged, the final NOTIFY 200, then the endpoint's BYE.</summary>
    public Task Consume(ConsumeContext<CallBridged> context)
    {
        var bridged = context.Message;
        return SendAsync(context, bridged.CallId, new SendReferNotify(bridged.CallId, time.GetUtcNow(), bridged.TransferId, 200, "OK", true),
            new HangUpLeg(bridged.CallId, time.GetUtcNow(), Contracts.LegSide.Endpoint, "Transferred"));
    }

    public Task Consume(ConsumeContext<TargetFailed> context)
    {
        var failed = context.Message;
        return SendAsync(context, failed.CallId, new SendReferNotify(failed.CallId, time.GetUtcNow(), failed.TransferId, failed.SipCode, failed.Reason, true));
    }

    /// <summary>As the saga: answers a REFER Signaling holds for the decision (none when the script is silent); one Signaling decided needs no answer.</summary>
    private async Task<ISendEndpoint> AnswerAsync(ConsumeContext<ReferReceived> context, ReferReceived refer, int decision)
    {
        var queue = await Queue(context, refer.CallId);
        if (refer.Decision is null && decision != 0)
        {
            await queue.Send(new AnswerRefer(refer.CallId, time.GetUtcNow(), refer.TransferId, decision, decision == 202 ? "Accepted" : "Forbidden"));
        }

        return queue;
    }

    private Task<ISendEndpoint> Queue(ConsumeContext context, Guid callId) =>
        context.GetSendEndpoint(new Uri($"exchange:{world.Log(callId)?.Received.CommandQueue ?? throw new InvalidOperationException($"Unknown call {callId}")}"));

    /// <summary>Sends the commands to the call's instance queue; a call of another test run on the same broker is none of ours.</summary>
    private async Task SendAsync(ConsumeContext context, Guid callId, params object[] commands)
    {
        if (world.Log(callId) is null)
        {
            return;
        }

        var queue = await Queue(context, callId);
        foreach (var command in commands)
        {
            await queue.Send(command);
        }
    }
}
