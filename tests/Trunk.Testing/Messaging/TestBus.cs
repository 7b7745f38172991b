using MassTransit;

namespace Trunk.Testing.Messaging;

/// <summary>A MassTransit bus of the test's own on the test broker, with one auto-deleted queue read one message at a time.</summary>
public static class TestBus
{
    /// <summary>
    /// The bus (not started) whose queue <paramref name="queue"/> the test's <paramref name="configure"/> fills with handlers.
    /// One message at a time: what the handlers see is then in the queue's order, which tests of publishing order rely on.
    /// </summary>
    public static IBusControl WithQueue(string queue, Action<IRabbitMqReceiveEndpointConfigurator> configure) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, h =>
            {
                h.Username(TestInfrastructure.RabbitUsername);
                h.Password(TestInfrastructure.RabbitPassword);
            });
            rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.ConcurrentMessageLimit = 1;
                configure(endpoint);
            });
        });
}
