using MassTransit;
using Microsoft.Extensions.Logging;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.Transfer.Telemetry;

namespace Trunk.Transfer.Saga;

/// <summary>
/// One REFER's transfer (ARCHITECTURE.md, the main flow and the NOTIFY table). Policy's answers are response types,
/// never exceptions; its deadline and the ring timeout are persistent timeouts (<see cref="Scheduling.TimeoutScheduler"/>).
/// Every message produced goes through <see cref="TransferActions"/> into the outbox stored with the state.
/// </summary>
public sealed partial class TransferStateMachine : MassTransitStateMachine<TransferState>
{
    public TransferStateMachine(TransferActions actions, TransferTelemetry telemetry, ILogger<TransferStateMachine> logger)
    {
        ArgumentNullException.ThrowIfNull(actions);
        InstanceState(x => x.CurrentState);
        this.ConnectStateObserver(telemetry);

        Event(() => ReferReceived, e => e.CorrelateById(c => c.Message.TransferId));
        Event(() => TransferAllowed, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => TransferDenied, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => FundsReserved, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => InsufficientFunds, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => TargetRinging, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => TargetAnswered, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => TargetFailed, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => CallBridged, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => PolicyDeadline, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => RingTimeout, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => MaxCallDuration, e => ByTransfer(e, c => c.Message.TransferId));
        Event(() => ReferRejected, e => ByTransfer(e, c => c.Message.TransferId ?? Guid.Empty));
        Event(() => CallEnded, e => ByCall(e));

        // An event the current state does not expect (a late timeout, a duplicate ringing, the endpoint's BYE) is
        // acknowledged and changes nothing.
        OnUnhandledEvent(context => context.Ignore());

        // A REFER Signaling holds for the decision goes to Policy; one Signaling already answered from the rules Policy
        // pushed (ARCHITECTURE.md, the REFER decision) starts reserving at once after a 202, or records the denial.
        Initially(
            When(ReferReceived, c => c.Message.Decision is null)
                .Then(c =>
                {
                    Start(c.Saga, c.Message);
                    actions.CheckTransfer(c.Saga);
                    LogReferReceived(logger, c.Saga.CallId, c.Saga.CorrelationId, c.Saga.TargetNumber);
                })
                .TransitionTo(AwaitingPolicy),
            When(ReferReceived, c => c.Message.Decision is { SipCode: 202 })
                .Then(c =>
                {
                    Start(c.Saga, c.Message);
                    LogReferReceived(logger, c.Saga.CallId, c.Saga.CorrelationId, c.Saga.TargetNumber);
                    Allowed(actions, c.Saga, c.Message.Decision!.RingTimeout, fundsRequested: c.Message.Decision.FundsRequested);
                })
                .TransitionTo(Reserving),
            When(ReferReceived, c => c.Message.Decision is { SipCode: not 202 })
                .Then(c =>
                {
                    Start(c.Saga, c.Message);
                    Denied(actions, logger, c.Saga, c.Message.Decision!.SipCode, c.Message.Decision.Reason);
                })
                .Finalize());

        During(AwaitingPolicy,
            When(TransferDenied)
                .Then(c =>
                {
                    actions.CancelPolicyDeadline(c.Saga);
                    actions.AnswerRefer(c.Saga, c.Message.SipCode, c.Message.Reason);
                    Denied(actions, logger, c.Saga, c.Message.SipCode, c.Message.Reason);
                })
                .Finalize(),
            When(TransferAllowed)
                .Then(c =>
                {
                    actions.CancelPolicyDeadline(c.Saga);
                    actions.AnswerRefer(c.Saga, 202, "Accepted");
                    Allowed(actions, c.Saga, c.Message.RingTimeout, fundsRequested: false);
                })
                .TransitionTo(Reserving),
            When(PolicyDeadline, c => c.Message.TimeoutId == c.Saga.PolicyDeadlineId)
                .Then(c =>
                {
                    actions.AnswerReferUnavailable(c.Saga);
                    Fail(actions, logger, c.Saga, 503, "No policy decision before the deadline");
                })
                .TransitionTo(Failed));

        During(Reserving,
            When(FundsReserved)
                .Then(c =>
                {
                    actions.CancelPolicyDeadline(c.Saga);
                    c.Saga.ReservedAmount = c.Message.Amount;
                    actions.DialTarget(c.Saga);
                })
                .TransitionTo(Dialling),
            When(InsufficientFunds)
                .Then(c =>
                {
                    actions.CancelPolicyDeadline(c.Saga);
                    actions.Notify(c.Saga, 402, "Payment Required", final: true);
                    Fail(actions, logger, c.Saga, 402, "Insufficient balance");
                })
                .TransitionTo(Failed),
            When(PolicyDeadline, c => c.Message.TimeoutId == c.Saga.PolicyDeadlineId)
                .Then(c =>
                {
                    actions.Notify(c.Saga, 503, "Service Unavailable", final: true);
                    Fail(actions, logger, c.Saga, 503, "No funds decision before the deadline");
                })
                .TransitionTo(Failed));

        During(Dialling, Ringing,
            When(TargetRinging)
                .Then(c => actions.Notify(c.Saga, c.Message.SipCode, c.Message.SipCode == 183 ? "Session Progress" : "Ringing", final: false))
                .TransitionTo(Ringing),
            When(TargetAnswered)
                .Then(c =>
                {
                    actions.CancelRingTimeout(c.Saga);
                    actions.ScheduleMaxCallDuration(c.Saga);
                    actions.BridgeLegs(c.Saga);
                })
                .TransitionTo(Bridging),
            When(TargetFailed)
                .Then(c =>
                {
                    actions.CancelRingTimeout(c.Saga);
                    actions.Notify(c.Saga, c.Message.SipCode, c.Message.Reason, final: true);
                    Fail(actions, logger, c.Saga, c.Message.SipCode, c.Message.Reason);
                })
                .TransitionTo(Failed),
            When(RingTimeout, c => c.Message.TimeoutId == c.Saga.RingTimeoutId)
                .Then(c =>
                {
                    c.Saga.RingTimeoutId = null;
                    actions.CancelTarget(c.Saga, "No answer before the ring timeout");
                    actions.Notify(c.Saga, 480, "Temporarily Unavailable", final: true);
                    Fail(actions, logger, c.Saga, 480, "No answer before the ring timeout");
                })
                .TransitionTo(Failed));

        During(Bridging,
            When(CallBridged)
                .Then(c =>
                {
                    actions.Notify(c.Saga, 200, "OK", final: true);
                    actions.HangUp(c.Saga, LegSide.Endpoint, "Transferred");
                    actions.Completed(c.Saga);
                    LogEnded(logger, c.Saga.CallId, c.Saga.CorrelationId, 200, "Bridged");
                })
                .TransitionTo(Completed),
            When(MaxCallDuration, c => c.Message.TimeoutId == c.Saga.MaxCallDurationId)
                .Then(c =>
                {
                    c.Saga.MaxCallDurationId = null;
                    LogOverdue(logger, c.Saga.CallId, c.Saga.CorrelationId, "bridge was never confirmed");
                    actions.HangUp(c.Saga, LegSide.Caller, "The bridge was never confirmed");
                    Fail(actions, logger, c.Saga, 500, "The bridge was never confirmed");
                })
                .TransitionTo(Failed));

        // The caller's BYE ends the call (Signaling ends the target's leg itself) and fails the transfer in any state
        // where it is still under way; the endpoint's BYE after the 202 does not end the call (the caller is ours), so
        // it changes nothing here. After the bridge and after a failure the call's end only settles money.
        During([AwaitingPolicy, Reserving, Dialling, Ringing, Bridging],
            When(CallEnded)
                .Then(c => CallerGone(actions, logger, c.Saga))
                .TransitionTo(Failed));

        // Signaling gave up waiting for the decision and answered the REFER 503 itself: the endpoint was told the
        // transfer did not happen, so it must not happen (the endpoint may retry with a new REFER).
        During([AwaitingPolicy, Reserving, Dialling, Ringing],
            When(ReferRejected)
                .Then(c => Abandon(actions, logger, c.Saga, c.Message.SipCode,
                    "REFER answered " + c.Message.SipCode + " by Signaling: " + c.Message.Reason,
                    "The REFER was answered before the transfer's decision"))
                .TransitionTo(Failed));

        // A call whose end never comes (its Signaling instance stopped) is hung up and charged at the maximum duration.
        During(Completed,
            When(CallEnded)
                .Then(c =>
                {
                    actions.CancelMaxCallDuration(c.Saga);
                    actions.ChargeCall(c.Saga, c.Message.At);
                })
                .Finalize(),
            When(MaxCallDuration, c => c.Message.TimeoutId == c.Saga.MaxCallDurationId)
                .Then(c =>
                {
                    c.Saga.MaxCallDurationId = null;
                    LogOverdue(logger, c.Saga.CallId, c.Saga.CorrelationId, "call reached the maximum duration");
                    actions.HangUp(c.Saga, LegSide.Caller, "Maximum call duration reached");
                    actions.ChargeCall(c.Saga, actions.Now);
                })
                .Finalize());

        // A reservation answered after the transfer failed (deadline, caller gone) is released at once.
        During(Failed,
            When(FundsReserved)
                .Then(c =>
                {
                    c.Saga.ReservedAmount = c.Message.Amount;
                    actions.ReleaseFunds(c.Saga);
                }));
    }

    public State AwaitingPolicy { get; private set; } = null!;

    public State Reserving { get; private set; } = null!;

    public State Dialling { get; private set; } = null!;

    public State Ringing { get; private set; } = null!;

    public State Bridging { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public Event<ReferReceived> ReferReceived { get; private set; } = null!;

    public Event<TransferAllowed> TransferAllowed { get; private set; } = null!;

    public Event<TransferDenied> TransferDenied { get; private set; } = null!;

    public Event<FundsReserved> FundsReserved { get; private set; } = null!;

    public Event<InsufficientFunds> InsufficientFunds { get; private set; } = null!;

    public Event<TargetRinging> TargetRinging { get; private set; } = null!;

    public Event<TargetAnswered> TargetAnswered { get; private set; } = null!;

    public Event<TargetFailed> TargetFailed { get; private set; } = null!;

    public Event<CallBridged> CallBridged { get; private set; } = null!;

    public Event<PolicyDeadlineElapsed> PolicyDeadline { get; private set; } = null!;

    public Event<RingTimeoutElapsed> RingTimeout { get; private set; } = null!;

    public Event<MaxCallDurationElapsed> MaxCallDuration { get; private set; } = null!;

    public Event<ReferRejected> ReferRejected { get; private set; } = null!;

    public Event<CallEnded> CallEnded { get; private set; } = null!;

    private static void ByTransfer<T>(IEventCorrelationConfigurator<TransferState, T> e, Func<ConsumeContext<T>, Guid> transferId)
        where T : class
    {
        e.CorrelateById(transferId);
        e.OnMissingInstance(m => m.Discard());
    }

    /// <summary>Leg events name the call, not the transfer: every transfer of the call sees them.</summary>
    private static void ByCall<T>(IEventCorrelationConfigurator<TransferState, T> e)
        where T : class, ICallMessage
    {
        e.CorrelateBy((transfer, context) => transfer.CallId == context.Message.CallId);
        e.OnMissingInstance(m => m.Discard());
    }

    private static void Start(TransferState transfer, ReferReceived refer)
    {
        transfer.CallId = refer.CallId;
        transfer.CommandQueue = refer.CommandQueue;
        transfer.AccountId = refer.AccountId;
        transfer.TrunkId = refer.TrunkId;
        transfer.CallerNumber = refer.CallerNumber;
        transfer.TargetNumber = refer.TargetNumber;
        transfer.ReferToHost = refer.ReferToHost;
        transfer.ReferredBy = refer.ReferredBy;
        transfer.NotifyRequested = refer.NotifyRequested;
        transfer.ReferredAt = refer.At;
    }

    /// <summary>
    /// The REFER was answered 202: the funds are asked for (unless Signaling asked already, right after the 202), the
    /// endpoint hears 100 Trying, the transfer is accepted. The request goes first: the outbox sends a call's messages
    /// one after another, each after the broker's confirm, and the target is dialled only once Policy answers it (the
    /// NOTIFY still leaves before any command that answer brings).
    /// </summary>
    private static void Allowed(TransferActions actions, TransferState transfer, TimeSpan ringTimeout, bool fundsRequested)
    {
        transfer.RingTimeout = ringTimeout;
        if (fundsRequested)
        {
            actions.SchedulePolicyDeadline(transfer);
        }
        else
        {
            actions.ReserveFunds(transfer);
        }

        actions.Notify(transfer, 100, "Trying", final: false);
        actions.Accepted(transfer);
    }

    private static void Denied(TransferActions actions, ILogger logger, TransferState transfer, int sipCode, string reason)
    {
        actions.PolicyDenied(transfer, sipCode, reason);
        LogEnded(logger, transfer.CallId, transfer.CorrelationId, sipCode, reason);
    }

    private void CallerGone(TransferActions actions, ILogger logger, TransferState transfer) =>
        Abandon(actions, logger, transfer, 487, "The caller hung up", "The caller hung up");

    /// <summary>Stops a transfer under way: its timeouts cancelled, the target cancelled or hung up, the transfer failed.</summary>
    private void Abandon(TransferActions actions, ILogger logger, TransferState transfer, int sipCode, string reason, string targetReason)
    {
        actions.CancelPolicyDeadline(transfer);
        actions.CancelRingTimeout(transfer);
        actions.CancelMaxCallDuration(transfer);
        if (transfer.CurrentState == Dialling.Name || transfer.CurrentState == Ringing.Name)
        {
            actions.CancelTarget(transfer, targetReason);
        }
        else if (transfer.CurrentState == Bridging.Name)
        {
            actions.HangUp(transfer, LegSide.Target, targetReason);
        }

        Fail(actions, logger, transfer, sipCode, reason);
    }

    private static void Fail(TransferActions actions, ILogger logger, TransferState transfer, int sipCode, string reason)
    {
        actions.Failed(transfer, sipCode, reason);
        LogEnded(logger, transfer.CallId, transfer.CorrelationId, sipCode, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} transfer {TransferId}: REFER to {TargetNumber} received")]
    private static partial void LogReferReceived(ILogger logger, Guid callId, Guid transferId, string targetNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} transfer {TransferId}: the {What}; hanging the call up (its Signaling instance may have stopped)")]
    private static partial void LogOverdue(ILogger logger, Guid callId, Guid transferId, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} transfer {TransferId}: ended {SipCode} {Reason}")]
    private static partial void LogEnded(ILogger logger, Guid callId, Guid transferId, int sipCode, string reason);
}
