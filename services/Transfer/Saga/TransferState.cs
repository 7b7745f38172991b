using MassTransit;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Persistence;

namespace Trunk.Transfer.Saga;

/// <summary>One REFER's transfer, correlated by the transfer id; <see cref="CallId"/> links it to the call.</summary>
public sealed class TransferState : SagaStateMachineInstance, IOutboxSaga
{
    public Guid CorrelationId { get; set; }

    public Guid Version { get; set; }

    public string CurrentState { get; set; } = "";

    public Guid CallId { get; set; }

    /// <summary>The queue of the Signaling instance that owns the call's dialogs: every command goes there.</summary>
    public string CommandQueue { get; set; } = "";

    public Guid AccountId { get; set; }

    public Guid TrunkId { get; set; }

    public string CallerNumber { get; set; } = "";

    public string TargetNumber { get; set; } = "";

    public string ReferToHost { get; set; } = "";

    public string? ReferredBy { get; set; }

    public bool NotifyRequested { get; set; }

    public DateTimeOffset ReferredAt { get; set; }

    public Guid? PolicyDeadlineId { get; set; }

    public Guid? RingTimeoutId { get; set; }

    /// <summary>The pending <see cref="MaxCallDurationElapsed"/>, from the target's answer to the call's end.</summary>
    public Guid? MaxCallDurationId { get; set; }

    /// <summary>The trunk's ring timeout, from Policy's answer.</summary>
    public TimeSpan RingTimeout { get; set; }

    public decimal ReservedAmount { get; set; }

    public DateTimeOffset? BridgedAt { get; set; }

    /// <summary>The SIP code the transfer ended with (200 when bridged).</summary>
    public int? OutcomeCode { get; set; }

    public string? OutcomeReason { get; set; }

    public List<Guid> Handled { get; set; } = [];

    /// <summary>What the current message's handling produced; stored with the state, never serialized into it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public PendingMessages Pending { get; } = new();
}
