using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Telemetry;
using Trunk.Transfer.Saga;

namespace Trunk.Transfer.Telemetry;

/// <summary>
/// Every state change of a transfer saga, as a span <c>saga {from} → {to}</c> under the consume span of the message
/// that caused it (so in the call's trace) and as a count by from and to.
/// </summary>
public sealed class TransferTelemetry : IStateObserver<TransferState>
{
    private readonly ActivitySource _source;
    private readonly Counter<long> _transitions;

    public TransferTelemetry(ServiceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _source = identity.ActivitySource;
        _transitions = identity.Meter.CreateCounter(TrunkMetrics.SagaTransitions);
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
}
