using MassTransit;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Transfers;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Transfers;

namespace Trunk.Signaling.Commands;

/// <summary>
/// The commands sent to this instance's queue, each handed to the call it names; a command for a call this instance
/// no longer holds is logged and dropped (the call's end was already published).
/// </summary>
internal sealed partial class CallCommandConsumer(
    CallRegistry calls,
    TargetDialer targets,
    TransferLegs transfers,
    ILogger<CallCommandConsumer> logger)
    : IConsumer<AnswerRefer>, IConsumer<SendReferNotify>, IConsumer<DialTarget>, IConsumer<CancelTarget>, IConsumer<BridgeLegs>, IConsumer<HangUpLeg>
{
    public Task Consume(ConsumeContext<AnswerRefer> context) => With(context.Message, call =>
    {
        call.Transfer?.Decision.TrySetResult(context.Message);
        return Task.CompletedTask;
    });

    public Task Consume(ConsumeContext<SendReferNotify> context) => With(context.Message, call => transfers.NotifyAsync(call, context.Message));

    /// <summary>Runs in the background: the target may ring for a minute, and the queue must go on.</summary>
    public Task Consume(ConsumeContext<DialTarget> context) => With(context.Message, call =>
    {
        _ = targets.DialAsync(call, context.Message);
        return Task.CompletedTask;
    });

    public Task Consume(ConsumeContext<CancelTarget> context) => With(context.Message, call => transfers.CancelTargetAsync(call, context.Message));

    public Task Consume(ConsumeContext<BridgeLegs> context) => With(context.Message, call => transfers.BridgeAsync(call, context.Message));

    public Task Consume(ConsumeContext<HangUpLeg> context) => With(context.Message, call => transfers.HangUpAsync(call, context.Message));

    private Task With(ICallMessage command, Func<Call, Task> action)
    {
        if (calls.TryGet(command.CallId, out var call))
        {
            return action(call!);
        }

        LogUnknownCall(command.GetType().Name, command.CallId);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for call {CallId} dropped: this instance holds no such call")]
    private partial void LogUnknownCall(string command, Guid callId);
}
