using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Trunk.ServiceDefaults.Settings;

namespace Trunk.ServiceDefaults.Messaging;

/// <summary>
/// The broker side of delayed redelivery: per interval a durable fanout exchange and a durable queue of the same
/// name (<c>trunk-redelivery-10s</c>, …) with <c>x-message-ttl</c> = the interval and <c>x-dead-letter-exchange</c>
/// = the default exchange. A message is published to the exchange with the routing key of the queue it came from;
/// the fanout ignores the key, the queue keeps the message for the interval (on disk: it survives the service and
/// a broker restart), and on expiry RabbitMQ dead-letters it to the default exchange with that same routing key,
/// that is, back into the consumer's queue. All messages in one queue share its TTL, so they expire in order.
/// The queues are shared by every service on the virtual host.
/// </summary>
public sealed partial class DelayQueues : IDisposable
{
    private readonly RabbitMqSettings _broker;
    private readonly string _connectionName;
    private readonly ILogger<DelayQueues> _logger;
    private readonly SemaphoreSlim _declaring = new(1, 1);
    private bool _declared;

    public DelayQueues(IOptions<RabbitMqSettings> broker, IOptions<RedeliverySettings> redelivery, ServiceIdentity identity, ILogger<DelayQueues> logger)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(redelivery);
        ArgumentNullException.ThrowIfNull(identity);
        _broker = broker.Value;
        Intervals = redelivery.Value.IntervalsOrDefault();
        _connectionName = identity.InstanceId + "-redelivery";
        _logger = logger;
    }

    public IReadOnlyList<TimeSpan> Intervals { get; }

    /// <summary>The name of the exchange and queue that hold a message for <paramref name="interval"/>.</summary>
    public static string Name(TimeSpan interval) =>
        string.Create(CultureInfo.InvariantCulture, $"trunk-redelivery-{(long)interval.TotalSeconds}s");

    /// <summary>The queue's arguments: the wait, and where the message goes after it.</summary>
    private static Dictionary<string, object?> QueueArguments(TimeSpan interval) => new(StringComparer.Ordinal)
    {
        ["x-message-ttl"] = (long)interval.TotalMilliseconds,
        ["x-dead-letter-exchange"] = "",
    };

    /// <summary>
    /// The address to send a message to that should come back after <paramref name="delay"/> (one of
    /// <see cref="Intervals"/>: the retry policy is built from them), declaring the delay queues on first use.
    /// </summary>
    public async Task<Uri> AddressFor(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!Intervals.Contains(delay))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "Not one of the configured redelivery intervals.");
        }

        await DeclareOnce(cancellationToken).ConfigureAwait(false);
        return new Uri("exchange:" + Name(delay));
    }

    public void Dispose() => _declaring.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed in {Queue} after its immediate retries: redelivery {Redelivery} in {Delay}")]
    internal partial void Redelivering(Guid? messageId, string queue, int redelivery, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared the redelivery delay queues {Queues}")]
    private partial void Declared(string queues);

    private async Task DeclareOnce(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _declared))
        {
            return;
        }

        await _declaring.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_declared)
            {
                return;
            }

            await using var connection = await RabbitMqConnectionFactory.For(_broker).CreateConnectionAsync(_connectionName, cancellationToken).ConfigureAwait(false);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var interval in Intervals.Distinct())
            {
                var name = Name(interval);
                await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, QueueArguments(interval), cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.QueueBindAsync(name, name, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            Declared(string.Join(", ", Intervals.Distinct().Select(Name)));
            Volatile.Write(ref _declared, true);
        }
        finally
        {
            _declaring.Release();
        }
    }
}
