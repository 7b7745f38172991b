using MassTransit;
using Trunk.Testing;

namespace Trunk.Contracts.Tests;

/// <summary>A MassTransit bus on the real RabbitMQ with one temporary queue consuming every contract and <see cref="ICallEvent"/>.</summary>
public sealed class RabbitBusFixture : IAsyncLifetime
{
    internal Recorder Recorder { get; } = new();

    internal IBusControl Bus { get; private set; } = null!;

    private readonly string _queueName = $"contracts-round-trip-{Guid.NewGuid():N}";

    /// <summary>The queue's address; its flags must match the declaration or RabbitMQ refuses the send.</summary>
    internal Uri Queue => new($"queue:{_queueName}?durable=false&autodelete=true");

    public async Task InitializeAsync()
    {
        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, host =>
            {
                host.Username(TestInfrastructure.RabbitUsername);
                host.Password(TestInfrastructure.RabbitPassword);
            });
            rabbit.ReceiveEndpoint(_queueName, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                foreach (var type in ContractCatalog.Messages.Append(typeof(ICallEvent)))
                {
                    var consumerType = typeof(RecordingConsumer<>).MakeGenericType(type);
                    endpoint.Consumer(consumerType, _ => Activator.CreateInstance(consumerType, Recorder)!);
                }
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Bus.StartAsync(timeout.Token);
    }

    public Task DisposeAsync() => Bus.StopAsync();
}
