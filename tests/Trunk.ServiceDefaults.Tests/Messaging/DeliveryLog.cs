using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Trunk.Contracts;
using Trunk.ServiceDefaults.Messaging;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A message about a call, as most of the trunk's are: its routing key is the call id (<see cref="CallRoutingKey"/>)
/// unless redelivery sets the queue's, which must win or the delay queue would hand it back to no queue.
/// </summary>
public sealed record RedeliveryProbe(Guid Id, int FailuresBeforeSuccess) : ICallMessage
{
    public Guid CallId => Id;

    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>One delivery of a message to the consumer, as the consumer saw it.</summary>
internal sealed record Delivery(int Attempt, int Redelivery, Guid? MessageId, string? TraceId, string? Marker);

/// <summary>Every delivery of each <see cref="RedeliveryProbe"/> to one host's consumer, and how each message ended.</summary>
internal sealed class DeliveryLog
{
    public const string MarkerHeader = "Trunk-Test-Marker";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<Guid, List<Delivery>> _deliveries = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<Delivery>> _succeeded = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<Fault<RedeliveryProbe>>> _faulted = new();

    /// <summary>When set, every delivery fails, whatever the message asks for.</summary>
    public bool FailEverything { get; init; }

    public Delivery Record(ConsumeContext<RedeliveryProbe> context)
    {
        var deliveries = _deliveries.GetOrAdd(context.Message.Id, _ => []);
        lock (deliveries)
        {
            var delivery = new Delivery(
                deliveries.Count + 1,
                context.GetRedeliveryCount(),
                context.MessageId,
                Activity.Current?.TraceId.ToHexString(),
                context.Headers.Get<string>(MarkerHeader));
            deliveries.Add(delivery);
            return delivery;
        }
    }

    public IReadOnlyList<Delivery> Deliveries(Guid id)
    {
        var deliveries = _deliveries.GetOrAdd(id, _ => []);
        lock (deliveries)
        {
            return [.. deliveries];
        }
    }

    public Task<Delivery> Succeeded(Guid id) => Slot(_succeeded, id).Task.WaitAsync(Patience);

    public Task<Fault<RedeliveryProbe>> Faulted(Guid id) => Slot(_faulted, id).Task.WaitAsync(Patience);

    public void Success(Guid id, Delivery delivery) => Slot(_succeeded, id).TrySetResult(delivery);

    public void Fault(Fault<RedeliveryProbe> fault) => Slot(_faulted, fault.Message.Id).TrySetResult(fault);

    private static TaskCompletionSource<T> Slot<T>(ConcurrentDictionary<Guid, TaskCompletionSource<T>> slots, Guid id) =>
        slots.GetOrAdd(id, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Fails while the message asks for it (counting every attempt, immediate or redelivered), then succeeds.</summary>
internal sealed class RedeliveryProbeConsumer(DeliveryLog log) : IConsumer<RedeliveryProbe>
{
    public Task Consume(ConsumeContext<RedeliveryProbe> context)
    {
        var delivery = log.Record(context);
        if (log.FailEverything || delivery.Attempt <= context.Message.FailuresBeforeSuccess)
        {
            throw new InvalidOperationException($"failure, attempt {delivery.Attempt}");
        }

        log.Success(context.Message.Id, delivery);
        return Task.CompletedTask;
    }
}

internal sealed class RedeliveryFaultConsumer(DeliveryLog log) : IConsumer<Fault<RedeliveryProbe>>
{
    public Task Consume(ConsumeContext<Fault<RedeliveryProbe>> context)
    {
        log.Fault(context.Message);
        return Task.CompletedTask;
    }
}
