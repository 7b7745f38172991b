using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using MassTransit.RabbitMqTransport.Topology;
using MassTransit.Serialization;

namespace Trunk.Signaling.Events;

/// <summary>
/// What MassTransit's publish of a message type does on the broker, read once per type from the bus's own topology: the
/// exchange it publishes to (its entity name for the type), the exchanges and bindings it declares first (the type's
/// durable fanout, bound to the exchanges of the interfaces it implements, so that a subscriber of <c>ICallEvent</c> gets
/// every call event), and what its envelope names (the destination address and the <c>urn:message:</c> types).
/// </summary>
internal sealed class PublishedType
{
    private PublishedType(Type type, BrokerTopology topology, string exchange, Uri destination)
    {
        Type = type;
        Topology = topology;
        Exchange = exchange;
        DestinationAddress = destination.ToString();
        MessageTypes = JsonSerializer.SerializeToUtf8Bytes(MessageTypeCache.GetMessageTypeNames(type), SystemTextJsonMessageSerializer.Options);
    }

    public Type Type { get; }

    /// <summary>The exchanges and exchange-to-exchange bindings MassTransit declares before its first publish of the type.</summary>
    public BrokerTopology Topology { get; }

    /// <summary>The exchange the type is published to.</summary>
    public string Exchange { get; }

    /// <summary>The envelope's <c>destinationAddress</c>: the exchange's address.</summary>
    public string DestinationAddress { get; }

    /// <summary>The envelope's <c>messageType</c> array as JSON: the type, then the message types it implements.</summary>
    public byte[] MessageTypes { get; }

    /// <summary>The published types of one bus, each read from its topology on first use.</summary>
    public sealed class Cache(IBus bus)
    {
        private static readonly System.Reflection.MethodInfo ReadMethod =
            typeof(Cache).GetMethod(nameof(Read), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

        private readonly ConcurrentDictionary<Type, PublishedType> _byType = new();

        public PublishedType Of(Type type) => _byType.GetOrAdd(type, static (type, bus) =>
            (PublishedType)ReadMethod.MakeGenericMethod(type).Invoke(null, [bus])!, bus);

        private static PublishedType Read<T>(IBus bus)
            where T : class
        {
            var topology = ((IRabbitMqPublishTopology)bus.Topology.PublishTopology).GetMessageTopology<T>();
            var host = new Uri(bus.Address, ".");
            var destination = bus.Topology.PublishTopology.TryGetPublishAddress(typeof(T), host, out var address) && address is not null
                ? address
                : throw new InvalidOperationException($"MassTransit has no publish address for {typeof(T).FullName}.");
            return new PublishedType(typeof(T), topology.GetBrokerTopology(), topology.Exchange.ExchangeName, destination);
        }
    }
}
