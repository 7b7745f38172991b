using MassTransit;
using RabbitMQ.Client;
using Trunk.CallHistory.Recording;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.CallHistory.Bench;

/// <summary>
/// Fills CallHistory's event queue before the host starts, so that the append rate is the consumer's and not the
/// publisher's (on this 2-core box a publisher in the same process publishes only ~500–1,500 events/s): the queue is
/// declared as the host will declare it and bound to every call event's exchange, then a bus of the bench's own
/// publishes the events as the services do.
/// </summary>
internal static class BenchBacklog
{
    public static async Task PublishAsync(string queue, IReadOnlyList<ICallEvent> events)
    {
        await using (var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: true);
            foreach (var type in CallEventTypes.All)
            {
                var exchange = $"{type.Namespace}:{type.Name}";
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
                await channel.QueueBindAsync(queue, exchange, routingKey: "");
            }
        }

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(
            TestInfrastructure.RabbitHost,
            (ushort)TestInfrastructure.RabbitPort,
            TestInfrastructure.RabbitVirtualHost,
            host =>
            {
                host.Username(TestInfrastructure.RabbitUsername);
                host.Password(TestInfrastructure.RabbitPassword);
            }));
        await bus.StartAsync();
        try
        {
            foreach (var chunk in events.Chunk(500))
            {
                await Task.WhenAll(chunk.Select(e => bus.Publish(e, e.GetType(), context => context.MessageId = NewId.NextGuid())));
            }
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
