using System.Collections.Concurrent;
using RabbitMQ.Client;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Signaling.Events;

/// <summary>
/// Signaling's own RabbitMQ.Client connection for publishing its call events, with one channel in confirm mode shared by
/// the publisher's lanes: a publish on it returns once the broker confirmed it and throws when the broker refused it or the
/// channel closed. A closed channel or connection is opened again on the next publish (the lanes retry), and each type's
/// exchanges are declared on a channel before its first publish there, as MassTransit does.
/// </summary>
internal sealed class BrokerChannel(RabbitMqSettings settings, string connectionName) : IAsyncDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);

    /// <summary>The channel each type's topology was last declared on.</summary>
    private readonly ConcurrentDictionary<Type, IChannel> _declaredOn = new();
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>Publishes <paramref name="body"/> to <paramref name="type"/>'s exchange and waits for the broker's confirm.</summary>
    public async ValueTask PublishAsync(PublishedType type, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var channel = _channel is { IsOpen: true } open ? open : await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!_declaredOn.TryGetValue(type.Type, out var declaredOn) || declaredOn != channel)
        {
            await DeclareAsync(channel, type, cancellationToken).ConfigureAwait(false);
        }

        await channel.BasicPublishAsync(type.Exchange, routingKey, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _opening.WaitAsync().ConfigureAwait(false);
        try
        {
            await Close().ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }

        _opening.Dispose();
    }

    private async ValueTask<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true } opened)
            {
                return opened;
            }

            if (_connection is not { IsOpen: true })
            {
                await Close().ConfigureAwait(false);
                var factory = RabbitMqConnectionFactory.For(settings);
                // This class opens again what closed; the client's own recovery would race it.
                factory.AutomaticRecoveryEnabled = false;
                _connection = await factory.CreateConnectionAsync(connectionName, cancellationToken).ConfigureAwait(false);
            }
            else if (_channel is not null)
            {
                await _channel.DisposeAsync().ConfigureAwait(false);
            }

            _channel = await _connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
            return _channel;
        }
        finally
        {
            _opening.Release();
        }
    }

    private async ValueTask DeclareAsync(IChannel channel, PublishedType type, CancellationToken cancellationToken)
    {
        foreach (var exchange in type.Topology.Exchanges)
        {
            await channel.ExchangeDeclareAsync(exchange.ExchangeName, exchange.ExchangeType, exchange.Durable, exchange.AutoDelete,
                Arguments(exchange.ExchangeArguments), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        foreach (var binding in type.Topology.ExchangeBindings)
        {
            await channel.ExchangeBindAsync(binding.Destination.ExchangeName, binding.Source.ExchangeName, binding.RoutingKey,
                Arguments(binding.Arguments), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        _declaredOn[type.Type] = channel;
    }

    private static Dictionary<string, object?>? Arguments(IDictionary<string, object>? arguments) =>
        arguments is null or { Count: 0 } ? null : arguments.ToDictionary(a => a.Key, a => (object?)a.Value);

    private async ValueTask Close()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
            _channel = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
