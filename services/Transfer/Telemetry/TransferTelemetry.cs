using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Transfer.Outbox;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Telemetry;

/// <summary>
/// Every state change of a transfer saga, as a span <c>saga {from} → {to}</c> under the consume span of the message
/// that caused it (so in the call's trace) and as a count by from and to; and each outbox message sent, as a span
/// <c>outbox {type}</c> under the trace context stored with it, so what the saga sends stays in the call's trace, and how
/// long it waited in the outbox.
/// </summary>
public sealed class TransferTelemetry : IStateObserver<TransferState>
{
    private readonly ActivitySource _source;
    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _outboxWait;

    public TransferTelemetry(ServiceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _source = identity.ActivitySource;
        _transitions = identity.Meter.CreateCounter(TrunkMetrics.SagaTransitions);
        _outboxWait = identity.Meter.CreateHistogram(TrunkMetrics.OutboxWait);
    }

    public Task StateChanged(BehaviorContext<TransferState> context, State currentState, State previousState)
    {
        ArgumentNullException.ThrowIfNull(context);
        var from = previousState?.Name ?? "Initial";
        var to = currentState?.Name ?? "Final";
        _transitions.Add(1, new KeyValuePair<string, object?>("from", from), new KeyValuePair<string, object?>("to", to));

        using var activity = _source.StartActivity($"saga {from} → {to}");
        if (activity is not null)
        {
            var transfer = context.Saga;
            activity.SetTag("trunk.call_id", transfer.CallId);
            activity.SetTag("trunk.transfer_id", transfer.CorrelationId);
            activity.SetTag("trunk.trunk_id", transfer.TrunkId);
            activity.SetTag("trunk.account_id", transfer.AccountId);
            activity.SetTag("saga.event", context.Event.Name);
            activity.SetTag("saga.from", from);
            activity.SetTag("saga.to", to);
        }

        return Task.CompletedTask;
    }

    /// <summary>A span for sending <paramref name="message"/>, and how long it waited in the outbox until <paramref name="now"/>.</summary>
    public Activity? StartDispatch(OutboxMessage message, string messageType, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        _outboxWait.Record(Math.Max(0, (now - message.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("messaging.message_type", messageType));
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        // The dispatcher's loop carries no trace of its own: the message's stored context is the parent.
        Activity.Current = null;
        var activity = _source.StartActivity(ActivityKind.Producer, parent, name: "outbox " + messageType);
        activity?.SetTag("trunk.call_id", message.CallId);
        activity?.SetTag("trunk.transfer_id", message.TransferId);
        return activity;
    }
}
