using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Settings;
using Trunk.Testing;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>A plain AMQP connection to the test virtual host, to look at queues the way an operator would.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);
    private readonly IConnection _connection;

    private TestBroker(IConnection connection) => _connection = connection;

    public static async Task<TestBroker> ConnectAsync()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(TestInfrastructure.RabbitConfiguration).Build()
            .GetSection(RabbitMqSettings.Section).Get<RabbitMqSettings>()!;
        return new TestBroker(await RabbitMqConnectionFactory.For(settings).CreateConnectionAsync("bus-tests-broker"));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    public Task<IChannel> CreateChannelAsync() => _connection.CreateChannelAsync();

    /// <summary>Declares a queue as given: RabbitMQ refuses (PRECONDITION_FAILED) if it exists with other properties.</summary>
    public async Task DeclareAsync(string queue, bool durable, IDictionary<string, object?> arguments)
    {
        await using var channel = await _connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable, exclusive: false, autoDelete: false, arguments);
    }

    /// <summary>Waits until <paramref name="queue"/> holds a message.</summary>
    public async Task WaitForMessageAsync(string queue)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await CountAsync(queue) == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    /// <summary>
    /// Takes the message <paramref name="messageId"/> out of <paramref name="queue"/>, waiting for it to arrive.
    /// The queue must be the test's own: every message read before it is taken out too.
    /// </summary>
    public async Task<BasicGetResult> TakeAsync(string queue, Guid messageId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await CountAsync(queue) > 0)
            {
                await using var channel = await _connection.CreateChannelAsync();
                while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    if (message.BasicProperties.MessageId == messageId.ToString())
                    {
                        return message;
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    /// <summary>How many messages <paramref name="queue"/> holds; none while it does not exist.</summary>
    private async Task<uint> CountAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }
}
