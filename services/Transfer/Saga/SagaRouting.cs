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
/// Sharded (<c>Transfer:SagaShards</c> &gt; 1): binds the exchange of every message type the saga consumes from others
/// (<see cref="SagaShardEndpoints.EventTypes"/>) to <see cref="SagaShards.Exchange"/>, which MassTransit cannot declare
/// (it binds exchanges to queues, not to other exchanges). A publisher's event then reaches its call's shard queue with no
/// hop in between. The bindings are durable; they are declared at every start, and until they are the service reports
/// not ready. RabbitMQ needs the plugin <c>rabbitmq_consistent_hash_exchange</c> enabled.
/// Shard queues beyond <c>Transfer:SagaShards</c>, left by an earlier, larger count, stay bound and keep receiving their
/// share of the calls: they are found here and read like the others (<see cref="SagaShardEndpoints.ConnectMore"/>), so no
/// call is stranded; the count only grows (the warning says how to lower it).
/// One queue (<c>Transfer:SagaShards</c> = 1) after a sharded run: the durable bindings that run declared would keep
/// copying every event into shard queues nobody reads, without end. They are removed at start; the shard queues left
/// empty are deleted, and those still holding a call's messages are read until empty (and deleted at a later start).
/// The other way, the one queue's bindings are removed when the saga is sharded (<see cref="RetireOneQueueAsync"/>).
/// </summary>
public sealed partial class SagaRouting(
    IBus bus,
    TransferStateMachine machine,
    SagaShards shards,
    SagaShardEndpoints endpoints,
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
        var factory = RabbitMqConnectionFactory.For(broker.Value);
        await using var connection = await factory.CreateConnectionAsync(identity.InstanceId + "-saga-routing", cancellationToken).ConfigureAwait(false);
        if (shards.Sharded)
        {
            await RouteToShardsAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RetireShardsAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RouteToShardsAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var sources = SourceExchanges();
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
        var existing = await ExistingShardsAsync(connection, cancellationToken).ConfigureAwait(false);
        if (existing > shards.Count)
        {
            LogMoreShards(existing, shards.Count, SagaShards.ShardQueue(shards.Count), SagaShards.ShardQueue(existing - 1));
            endpoints.ConnectMore(existing);
        }

        await RetireOneQueueAsync(connection, sources, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Unbinds the message types' exchanges from the consistent-hash exchange a sharded run left, deletes the shard queues
    /// that are empty and unread, and reads the others (<see cref="SagaShardEndpoints.Connect"/>).
    /// </summary>
    private async Task RetireShardsAsync(IConnection connection, CancellationToken cancellationToken)
    {
        if (!await UnbindSourcesAsync(connection, SagaShards.Exchange, SourceExchanges(), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var deleted = 0;
        var read = new List<string>();
        for (var shard = 0; shard < SagaShards.MaxCount; shard++)
        {
            var name = SagaShards.ShardQueue(shard);
            switch (await DeleteIfEmptyAsync(connection, name, cancellationToken).ConfigureAwait(false))
            {
                case null:
                    continue;
                case { Deleted: true }:
                    deleted++;
                    continue;
                case { Messages: var messages }:
                    LogShardLeft(name, messages);
                    endpoints.Connect(shard);
                    read.Add(name);
                    break;
            }
        }

        LogShardsRetired(SagaShards.Exchange, deleted, read.Count == 0 ? "none" : string.Join(", ", read));
        if (read.Count == 0)
        {
            // Nothing bound to it any more: the next start has nothing to retire.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.ExchangeDeleteAsync(SagaShards.Exchange, ifUnused: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many shard queues exist, counting on from the configured ones until one is missing.</summary>
    private async Task<int> ExistingShardsAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var count = shards.Count;
        while (count < SagaShards.MaxCount && await FindQueueAsync(connection, SagaShards.ShardQueue(count), cancellationToken).ConfigureAwait(false) is not null)
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The saga's one queue (<see cref="SagaShards.Queue"/>, of a run with <c>Transfer:SagaShards</c> = 1 or of versions
    /// before the consistent-hash exchange) stays bound to the event types' exchanges after a switch to shards, and
    /// nothing reads it now: the bindings are removed so that it stops filling, and the queue is deleted if it is empty.
    /// </summary>
    private async Task RetireOneQueueAsync(IConnection connection, IReadOnlyList<RabbitMqEndpointAddress> sources, CancellationToken cancellationToken)
    {
        await UnbindSourcesAsync(connection, SagaShards.Queue, sources, cancellationToken).ConfigureAwait(false);
        switch (await DeleteIfEmptyAsync(connection, SagaShards.Queue, cancellationToken).ConfigureAwait(false))
        {
            case { Deleted: true }:
                LogOneQueueDeleted(SagaShards.Queue);
                break;
            case { Messages: var messages }:
                LogOneQueueLeft(SagaShards.Queue, messages);
                break;
        }
    }

    /// <summary>Removes the bindings of <paramref name="sources"/> to <paramref name="destination"/>; false when that exchange does not exist.</summary>
    private static async Task<bool> UnbindSourcesAsync(
        IConnection connection, string destination, IReadOnlyList<RabbitMqEndpointAddress> sources, CancellationToken cancellationToken)
    {
        var exists = await OnChannelOfItsOwnAsync(
            connection,
            async channel =>
            {
                await channel.ExchangeDeclarePassiveAsync(destination, cancellationToken).ConfigureAwait(false);
                return true;
            },
            Constants.NotFound,
            false,
            cancellationToken).ConfigureAwait(false);
        if (exists)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var source in sources)
            {
                await channel.ExchangeUnbindAsync(destination, source.Name, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return exists;
    }

    /// <summary>
    /// Deletes the queue if it is empty and unread; null when there is no such queue. A queue with messages or a reader is
    /// kept (as one given a message meanwhile: RabbitMQ refuses its deletion), with the messages it held.
    /// </summary>
    private static async Task<(bool Deleted, uint Messages)?> DeleteIfEmptyAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        if (await FindQueueAsync(connection, queue, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }

        var deleted = found.MessageCount == 0 && found.ConsumerCount == 0 && await OnChannelOfItsOwnAsync(
            connection,
            async channel =>
            {
                await channel.QueueDeleteAsync(queue, ifUnused: true, ifEmpty: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            },
            Constants.PreconditionFailed,
            false,
            cancellationToken).ConfigureAwait(false);
        return (deleted, found.MessageCount);
    }

    /// <summary>The queue's state, or null when it does not exist.</summary>
    private static Task<QueueDeclareOk?> FindQueueAsync(IConnection connection, string queue, CancellationToken cancellationToken) =>
        OnChannelOfItsOwnAsync<QueueDeclareOk?>(
            connection, async channel => await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false), Constants.NotFound, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> on a channel of its own and gives <paramref name="refused"/> when RabbitMQ refuses
    /// it with <paramref name="refusal"/> (a passive declaration of something missing, a conditional delete): a refusal
    /// closes the channel it came on.
    /// </summary>
    private static async Task<T> OnChannelOfItsOwnAsync<T>(
        IConnection connection, Func<IChannel, Task<T>> operation, ushort refusal, T refused, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(channel).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == refusal)
        {
            return refused;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saga shard queue {Queue} of an earlier sharded run holds {Messages} messages: reading it until it is empty (it is deleted at a later start)")]
    private partial void LogShardLeft(string queue, uint messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer:SagaShards = 1: events no longer reach the shard queues of {Exchange}; {Deleted} empty shard queues deleted, still read until empty: {Read}")]
    private partial void LogShardsRetired(string exchange, int deleted, string read);

    [LoggerMessage(Level = LogLevel.Information, Message = "The exchanges of {Types} event types are bound to the saga's exchange {Exchange}")]
    private partial void LogRouted(int types, string exchange);

    [LoggerMessage(Level = LogLevel.Error, Message = "RabbitMQ refused an exchange of type {ExchangeType}: enable the plugin (rabbitmq-plugins enable rabbitmq_consistent_hash_exchange) or run the saga on one queue (Transfer:SagaShards=1); trying again in {Wait}")]
    private partial void LogPluginMissing(Exception exception, string exchangeType, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not declare the saga's routing on RabbitMQ; trying again in {Wait}")]
    private partial void LogBrokerAway(Exception exception, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Existing} saga shard queues exist, more than Transfer:SagaShards = {Configured}: {First} to {Last} stay bound to the exchange and are read too, so that the calls hashed to them are handled. To run fewer shards, unbind those queues from the exchange (management UI or API), let the running instances empty them, then delete them")]
    private partial void LogMoreShards(int existing, int configured, string first, string last);

    [LoggerMessage(Level = LogLevel.Information, Message = "The saga's one queue {Queue}, empty and unread since the saga is sharded, was deleted")]
    private partial void LogOneQueueDeleted(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saga's one queue {Queue} no longer receives events now that the saga is sharded, and nothing reads it: it holds {Messages} messages of calls in flight at the switch. Move them to the exchange transfer-state-by-call (management UI: Move messages) or delete the queue (rabbitmqctl delete_queue {Queue} -p <vhost>)")]
    private partial void LogOneQueueLeft(string queue, uint messages);
}
