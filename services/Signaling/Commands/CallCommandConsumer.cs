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
    /// <summary>
    /// Hands the decision to the held REFER and waits (a second at most) until its answer went out, so that the 202
    /// leaves before the NOTIFY 100 the saga sends next, which this queue takes only after.
    /// </summary>
    public Task Consume(ConsumeContext<AnswerRefer> context) => With(context.Message, async call =>
    {
        if (call.Transfer is not { } transfer)
        {
            return;
        }

        transfer.Decision.TrySetResult(context.Message);
        try
        {
            await transfer.Answered.Task.WaitAsync(AnswerWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogAnswerLate(call.Id, transfer.Id);
        }
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

    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hands the command to its call's lane and returns: the queue delivers in order (one message at a time) and each
    /// call runs its own commands in that order, side by side with other calls. A command's failure is logged; its
    /// call lives only in this process, so a retry from the broker could not do better.
    /// </summary>
    private Task With(ICallMessage command, Func<Call, Task> action)
    {
        if (calls.TryGet(command.CallId, out var call))
        {
            _ = call!.Commands.Run(() => RunAsync(command, call, action));
            return Task.CompletedTask;
        }

        LogUnknownCall(command.GetType().Name, command.CallId);
        return Task.CompletedTask;
    }

    private async Task RunAsync(ICallMessage command, Call call, Func<Call, Task> action)
    {
        try
        {
            await action(call).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogCommandFailed(exception, command.GetType().Name, call.Id, call.SipCallId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the REFER of transfer {TransferId} was not answered within a second of its decision")]
    private partial void LogAnswerLate(Guid callId, Guid transferId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Command} for call {CallId} (SIP Call-ID {SipCallId}) failed")]
    private partial void LogCommandFailed(Exception exception, string command, Guid callId, string sipCallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for call {CallId} dropped: this instance holds no such call")]
    private partial void LogUnknownCall(string command, Guid callId);
}
