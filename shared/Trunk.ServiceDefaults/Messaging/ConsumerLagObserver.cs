using System.Diagnostics.Metrics;
using MassTransit;
using Trunk.ServiceDefaults.Telemetry;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// Bus consumer lag: how long each message waited between its sender's <c>SentTime</c> and the start of its first
/// consumption attempt (retries and redeliveries are not lag). Growing lag means consumers fall behind their queue.
/// </summary>
internal sealed class ConsumerLagObserver : IConsumeObserver
{
    private readonly Histogram<double> _lag;
    private readonly TimeProvider _time;

    public ConsumerLagObserver(ServiceIdentity identity, TimeProvider time)
    {
        _lag = identity.Meter.CreateHistogram(TrunkMetrics.ConsumerLag);
        _time = time;
    }

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.SentTime is { } sent && context.GetRetryAttempt() == 0 && context.GetRedeliveryCount() == 0)
        {
            var lag = _time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(sent, DateTimeKind.Utc);
            _lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("messaging.message_type", typeof(T).Name));
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
