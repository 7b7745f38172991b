using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.Testing;

namespace Trunk.CallHistory.Tests.Support;

/// <summary>Looks into a queue on the test broker, as an operator would.</summary>
public static class RabbitQueues
{
    /// <summary>
    /// Waits for the message <paramref name="messageId"/> on <paramref name="queue"/> (declared once the bus's retries
    /// end) and takes it; other tests' messages stay, and so does the queue (MassTransit declares it once per bus).
    /// </summary>
    public static async Task<TakenMessage> TakeAsync(string queue, string messageId)
    {
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (await TryTakeAsync(connection, queue, messageId) is { } taken)
            {
                return taken;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Message {messageId} never reached {queue}.");
    }

    /// <summary>Takes the message <paramref name="messageId"/> if it is on <paramref name="queue"/> now (or null), without waiting.</summary>
    public static async Task<TakenMessage?> TryTakeAsync(string queue, string messageId)
    {
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        return await TryTakeAsync(connection, queue, messageId);
    }

    /// <summary>The message, if it is in the queue; the others taken on the way go back when the channel closes.</summary>
    private static async Task<TakenMessage?> TryTakeAsync(IConnection connection, string queue, string messageId)
    {
        // A get from a queue MassTransit has not declared yet closes the channel: a fresh channel each time.
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            {
                if (message.BasicProperties.MessageId == messageId)
                {
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                    return new TakenMessage(messageId, message.Body.ToArray());
                }
            }
        }
        catch (OperationInterruptedException)
        {
            // Not declared yet: the retries are still running.
        }

        return null;
    }

    /// <summary>Deletes the queues (gone already or never declared: nothing to do).</summary>
    public static async Task DeleteAsync(params string[] queues)
    {
        await using var connection = await TestInfrastructure.RabbitConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
        }
    }
}

/// <summary>A message taken from a queue: its MessageId property and its body.</summary>
public sealed record TakenMessage(string? MessageId, byte[] Body);
