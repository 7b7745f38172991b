using RabbitMQ.Client;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// A plain RabbitMQ.Client connection to the broker of <see cref="RabbitMqSettings"/>, for what MassTransit does not
/// do: declaring queues with arguments, looking into queues.
/// </summary>
public static class RabbitMqConnectionFactory
{
    public static ConnectionFactory For(RabbitMqSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ConnectionFactory
        {
            HostName = settings.Host,
            Port = settings.Port,
            VirtualHost = settings.VirtualHost,
            UserName = settings.Username,
            Password = settings.Password,
        };
    }
}
