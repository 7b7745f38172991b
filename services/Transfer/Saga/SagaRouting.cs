using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Messaging;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.Transfer.Saga;

/// <summary>
/// Binds the exchange of every message type the sharded saga consumes from others
/// (<see cref="SagaShardEndpoints.EventTypes"/>) to <see cref="SagaShards.Exchange"/>, which MassTransit cannot declare
/// (it binds exchanges to queues, not to other exchanges). A publisher's event then reaches its call's shard queue with no
/// hop in between. The bindings are durable; they are declared at every start, and until they are the service reports
/// not ready. RabbitMQ needs the plugin <c>rabbitmq_consistent_hash_exchange</c> enabled.
/// </summary>
public sealed partial class SagaRouting(
    IBus bus,
    TransferStateMachine machine,
    IOptions<RabbitMqSettings> broker,
    ServiceIdentity identity,
    ILogger<SagaRouting> logger) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "saga-routing";

    private volatile string? _notReady = "not declared yet";

    /// <summary>The exchanges of the routed message types, named and declared as MassTransit names and declares them.</summary>
    public IReadOnlyList<RabbitMqEndpointAddress> SourceExchanges()
    {
        var host = new Uri(bus.Address, ".");
        return [.. SagaShardEndpoints.EventTypes(machine).Select(type =>
            bus.Topology.PublishTopology.TryGetPublishAddress(type, host, out var address)
                ? new RabbitMqEndpointAddress(host, address)
                : throw new InvalidOperationException($"MassTransit has no publish address for {type.FullName}."))];
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_notReady is { } reason
            ? HealthCheckResult.Unhealthy($"The saga's events are not routed to its shards: {reason}")
            : HealthCheckResult.Healthy());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new BrokerBackoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeclareAsync(stoppingToken).ConfigureAwait(false);
                _notReady = null;
                return;
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.CommandInvalid)
            {
                _notReady = e.Message;
                LogPluginMissing(e, SagaShards.ExchangeType, backoff.Next);
            }
            catch (Exception e) when (e is IOException or RabbitMQClientException)
            {
                _notReady = e.Message;
                LogBrokerAway(e, backoff.Next);
            }

            await backoff.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task DeclareAsync(CancellationToken cancellationToken)
    {
        var sources = SourceExchanges();
        var factory = RabbitMqConnectionFactory.For(broker.Value);
        await using var connection = await factory.CreateConnectionAsync(identity.InstanceId + "-saga-routing", cancellationToken).ConfigureAwait(false);
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await channel.ExchangeDeclareAsync(SagaShards.Exchange, SagaShards.ExchangeType, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var source in sources)
            {
                await channel.ExchangeDeclareAsync(source.Name, source.ExchangeType, source.Durable, source.AutoDelete, cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.ExchangeBindAsync(SagaShards.Exchange, source.Name, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        LogRouted(sources.Count, SagaShards.Exchange);
        await WarnOfForwarderQueueAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Versions before the consistent-hash exchange forwarded from <see cref="SagaShards.Queue"/>; sharded, nothing reads
    /// it now, and its bindings would keep filling it.
    /// </summary>
    private async Task WarnOfForwarderQueueAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var queue = await channel.QueueDeclarePassiveAsync(SagaShards.Queue, cancellationToken).ConfigureAwait(false);
            LogForwarderQueueLeft(SagaShards.Queue, queue.MessageCount);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            // No queue left from an earlier version: nothing to say.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The exchanges of {Types} event types are bound to the saga's exchange {Exchange}")]
    private partial void LogRouted(int types, string exchange);

    [LoggerMessage(Level = LogLevel.Error, Message = "RabbitMQ refused an exchange of type {ExchangeType}: enable the plugin (rabbitmq-plugins enable rabbitmq_consistent_hash_exchange) or run the saga on one queue (Transfer:SagaShards=1); trying again in {Wait}")]
    private partial void LogPluginMissing(Exception exception, string exchangeType, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare the saga's routing on RabbitMQ; trying again in {Wait}")]
    private partial void LogBrokerAway(Exception exception, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} of an earlier version is still bound and nothing reads it now ({Messages} messages): delete it (rabbitmqctl delete_queue {Queue} -p <vhost>)")]
    private partial void LogForwarderQueueLeft(string queue, uint messages);
}
