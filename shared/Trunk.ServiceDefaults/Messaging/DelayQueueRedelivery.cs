using MassTransit;
using MassTransit.Configuration;
using MassTransit.Serialization;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// MassTransit's redelivery (<c>UseDelayedRedelivery</c>/<c>UseScheduledRedelivery</c>: the
/// <c>RedeliveryRetryFilter</c> counts redeliveries in the <c>MT-Redelivery-Count</c> header and picks the next
/// interval) with our own last step. MassTransit's delayed redelivery needs RabbitMQ's delayed-message exchange
/// plugin and its scheduled redelivery a scheduler (Quartz, Hangfire or that plugin again); Debian's RabbitMQ
/// has neither, so the message is sent instead to the <see cref="DelayQueues"/> queue of its interval. That keeps
/// it in the broker (durable, no scheduler to run) and reuses MassTransit's policy, headers and fault handling.
/// </summary>
internal sealed class DelayQueueRedeliveryObserver(IConsumePipeConfigurator configurator, DelayQueues queues)
    : ScheduledRedeliveryConfigurationObserver(configurator, retry => retry.Intervals([.. queues.Intervals]))
{
    protected override IRedeliveryPipeSpecification AddRedeliveryPipeSpecification<TMessage>(IConsumePipeConfigurator configurator)
    {
        var specification = new Specification<TMessage>(queues);
        configurator.AddPipeSpecification(specification);
        return specification;
    }

    private sealed class Specification<TMessage>(DelayQueues queues) : IPipeSpecification<ConsumeContext<TMessage>>, IRedeliveryPipeSpecification
        where TMessage : class
    {
        public RedeliveryOptions Options { get; set; }

        public void Apply(IPipeBuilder<ConsumeContext<TMessage>> builder) => builder.AddFilter(new Filter<TMessage>(queues, Options));

        public IEnumerable<ValidationResult> Validate() => [];
    }

    /// <summary>Puts the redelivery context where MassTransit's redelivery retry filter looks for it.</summary>
    private sealed class Filter<TMessage>(DelayQueues queues, RedeliveryOptions options) : IFilter<ConsumeContext<TMessage>>
        where TMessage : class
    {
        public Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
        {
            context.GetOrAddPayload<MessageRedeliveryContext>(() => new RedeliveryContext<TMessage>(context, queues, options));
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("delayQueueRedelivery");
    }

    /// <summary>
    /// Sends the consumed message, as received (same body, <c>MessageId</c>, conversation and correlation ids,
    /// headers and trace), to the delay queue with the redelivery count raised by one.
    /// </summary>
    private sealed class RedeliveryContext<TMessage>(ConsumeContext<TMessage> context, DelayQueues queues, RedeliveryOptions options)
        : MessageRedeliveryContext
        where TMessage : class
    {
        /// <summary>What RabbitMQ adds when it dead-letters a message; the next delay queue adds its own.</summary>
        private static readonly string[] BrokerHeaders =
            ["x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason"];

        public async Task ScheduleRedelivery(TimeSpan delay, Action<ConsumeContext, SendContext>? callback = null)
        {
            var queue = Uri.UnescapeDataString(context.ReceiveContext.InputAddress.Segments[^1]);
            var address = await queues.AddressFor(delay, context.CancellationToken).ConfigureAwait(false);
            var redelivery = Pipe.Execute<SendContext<TMessage>>(send =>
            {
                foreach (var header in BrokerHeaders)
                {
                    send.Headers.Set(header, null);
                }

                send.ApplyRedeliveryOptions(context, options);
                send.SetRoutingKey(queue);
                callback?.Invoke(context, send);
            });

            queues.Redelivering(context.MessageId, queue, context.GetRedeliveryCount() + 1, delay);
            var endpoint = await context.GetSendEndpoint(address).ConfigureAwait(false);
            await endpoint.Send(context.Message, new ForwardMessagePipe<TMessage>(context, redelivery), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
