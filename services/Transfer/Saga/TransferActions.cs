using MassTransit;
using Microsoft.Extensions.Options;
using Trunk.Contracts;
using Trunk.Contracts.Calls;
using Trunk.Contracts.Policy;
using Trunk.Contracts.Transfers;
using Trunk.ServiceDefaults;

namespace Trunk.Transfer.Saga;

/// <summary>
/// The messages a transfer produces, built from its state and the current time and added to
/// <see cref="TransferState.Pending"/>: nothing here touches the bus or the database (the repository stores them,
/// the outbox sends them).
/// </summary>
public sealed class TransferActions(TimeProvider time, ServiceIdentity identity, SagaShards shards, IOptions<TransferSettings> options)
{
    private TransferSettings Settings => options.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    public void CheckTransfer(TransferState transfer)
    {
        transfer.Pending.Request(transfer.CorrelationId, new CheckTransfer(
            transfer.CallId, Now, transfer.CorrelationId, transfer.AccountId, transfer.TrunkId, transfer.TargetNumber, transfer.ReferToHost),
            Now, shards.Address);
        SchedulePolicyDeadline(transfer);
    }

    /// <summary>Published: Policy publishes its answer, which reaches the call's shard after this transfer's earlier messages.</summary>
    public void ReserveFunds(TransferState transfer)
    {
        transfer.Pending.Publish(transfer.CorrelationId, new ReserveFunds(
            transfer.CallId, Now, transfer.CorrelationId, transfer.AccountId, transfer.TargetNumber, Settings.ReservedMinutes), Now);
        SchedulePolicyDeadline(transfer);
    }

    public void CancelPolicyDeadline(TransferState transfer)
    {
        transfer.Pending.Cancel(transfer.PolicyDeadlineId);
        transfer.PolicyDeadlineId = null;
    }

    public void AnswerRefer(TransferState transfer, int sipCode, string reason, int? retryAfterSeconds = null) =>
        Command(transfer, new AnswerRefer(transfer.CallId, Now, transfer.CorrelationId, sipCode, reason, retryAfterSeconds));

    public void AnswerReferUnavailable(TransferState transfer) =>
        AnswerRefer(transfer, 503, "Service Unavailable", Settings.RetryAfterSeconds);

    /// <summary>A NOTIFY of the refer subscription, unless the endpoint said <c>Refer-Sub: false</c> (RFC 4488).</summary>
    public void Notify(TransferState transfer, int sipCode, string reasonPhrase, bool final)
    {
        if (transfer.NotifyRequested)
        {
            Command(transfer, new SendReferNotify(transfer.CallId, Now, transfer.CorrelationId, sipCode, reasonPhrase, final));
        }
    }

    public void DialTarget(TransferState transfer)
    {
        var ringTimeout = transfer.RingTimeout > TimeSpan.Zero && transfer.RingTimeout < Settings.RingTimeout
            ? transfer.RingTimeout
            : Settings.RingTimeout;
        Command(transfer, new DialTarget(
            transfer.CallId, Now, transfer.CorrelationId, transfer.TargetNumber, transfer.CallerNumber, transfer.ReferredBy, ringTimeout));
        transfer.RingTimeoutId = ScheduleTimeout(transfer, ringTimeout, (id, dueAt) => new RingTimeoutElapsed(transfer.CallId, dueAt, transfer.CorrelationId, id));
    }

    public void CancelRingTimeout(TransferState transfer)
    {
        transfer.Pending.Cancel(transfer.RingTimeoutId);
        transfer.RingTimeoutId = null;
    }

    /// <summary>From the target's answer: the call must end within the maximum duration.</summary>
    public void ScheduleMaxCallDuration(TransferState transfer) =>
        transfer.MaxCallDurationId = ScheduleTimeout(
            transfer, Settings.MaxCallDuration, (id, dueAt) => new MaxCallDurationElapsed(transfer.CallId, dueAt, transfer.CorrelationId, id));

    public void CancelMaxCallDuration(TransferState transfer)
    {
        transfer.Pending.Cancel(transfer.MaxCallDurationId);
        transfer.MaxCallDurationId = null;
    }

    public void CancelTarget(TransferState transfer, string reason) =>
        Command(transfer, new CancelTarget(transfer.CallId, Now, transfer.CorrelationId, reason));

    public void BridgeLegs(TransferState transfer) =>
        Command(transfer, new BridgeLegs(transfer.CallId, Now, transfer.CorrelationId));

    public void HangUp(TransferState transfer, LegSide leg, string reason) =>
        Command(transfer, new HangUpLeg(transfer.CallId, Now, leg, reason));

    public void Accepted(TransferState transfer) =>
        Publish(transfer, new TransferAccepted(transfer.CallId, Now, identity.InstanceId, transfer.CorrelationId));

    public void PolicyDenied(TransferState transfer, int sipCode, string reason)
    {
        End(transfer, sipCode, reason);
        Publish(transfer, new TransferPolicyDenied(transfer.CallId, Now, identity.InstanceId, transfer.CorrelationId, sipCode, reason));
    }

    /// <summary>The transfer failed: the caller stays with the endpoint, and an unused reservation is released.</summary>
    public void Failed(TransferState transfer, int sipCode, string reason)
    {
        End(transfer, sipCode, reason);
        Publish(transfer, new TransferFailed(transfer.CallId, Now, identity.InstanceId, transfer.CorrelationId, sipCode, reason));
        ReleaseFunds(transfer);
    }

    public void Completed(TransferState transfer)
    {
        transfer.BridgedAt = Now;
        End(transfer, 200, "OK");
        Publish(transfer, new TransferCompleted(transfer.CallId, Now, identity.InstanceId, transfer.CorrelationId, Now - transfer.ReferredAt));
    }

    /// <summary>Charges the bridged part of the call; Policy releases the rest of the reservation.</summary>
    public void ChargeCall(TransferState transfer, DateTimeOffset endedAt)
    {
        var duration = transfer.BridgedAt is { } bridgedAt && endedAt > bridgedAt ? endedAt - bridgedAt : TimeSpan.Zero;
        Publish(transfer, new ChargeCall(transfer.CallId, Now, transfer.CorrelationId, transfer.AccountId, duration));
    }

    /// <summary>A zero-length charge releases the whole reservation.</summary>
    public void ReleaseFunds(TransferState transfer)
    {
        if (transfer.ReservedAmount > 0)
        {
            Publish(transfer, new ChargeCall(transfer.CallId, Now, transfer.CorrelationId, transfer.AccountId, TimeSpan.Zero));
            transfer.ReservedAmount = 0;
        }
    }

    /// <summary>Policy's answer is due by the deadline, else the transfer fails with 503.</summary>
    public void SchedulePolicyDeadline(TransferState transfer) =>
        transfer.PolicyDeadlineId = ScheduleTimeout(
            transfer, Settings.PolicyDeadline, (id, dueAt) => new PolicyDeadlineElapsed(transfer.CallId, dueAt, transfer.CorrelationId, id));

    /// <summary>Schedules the timeout <paramref name="timeout"/> builds (from its id and due time) <paramref name="after"/> from now; returns its id.</summary>
    private Guid ScheduleTimeout<T>(TransferState transfer, TimeSpan after, Func<Guid, DateTimeOffset, T> timeout)
        where T : class, ICallMessage
    {
        var id = NewId.NextGuid();
        var dueAt = Now + after;
        transfer.Pending.Schedule(id, transfer.CorrelationId, timeout(id, dueAt), dueAt);
        return id;
    }

    private static void End(TransferState transfer, int sipCode, string reason)
    {
        transfer.OutcomeCode = sipCode;
        transfer.OutcomeReason = reason;
    }

    private void Command<T>(TransferState transfer, T command)
        where T : class, ICallMessage =>
        transfer.Pending.Send(transfer.CorrelationId, transfer.CommandQueue, command, Now);

    private void Publish<T>(TransferState transfer, T message)
        where T : class, ICallMessage =>
        transfer.Pending.Publish(transfer.CorrelationId, message, Now);
}
