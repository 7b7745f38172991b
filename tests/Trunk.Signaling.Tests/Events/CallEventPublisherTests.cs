using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Telemetry;
using Trunk.Testing;

namespace Trunk.Signaling.Tests.Events;

/// <summary>
/// Call events go to the real RabbitMQ through several publishes in flight, and each call's events still arrive in the
/// order Signaling published them (a consumer of a call's history relies on it: CallEnded after the call's trace).
/// </summary>
public sealed class CallEventPublisherTests : IAsyncLifetime
{
    private const int Calls = 37;
    private const int EventsPerCall = 40;

    private readonly string _queue = $"signaling-tests-publisher-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<SipMessagesTraced> _received = new();
    private readonly ServiceIdentity _identity = new("signaling", "publisher-test");
    private IBusControl _bus = null!;

    public async Task InitializeAsync()
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, host =>
            {
                host.Username(TestInfrastructure.RabbitUsername);
                host.Password(TestInfrastructure.RabbitPassword);
            });
            rabbit.ReceiveEndpoint(_queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Handler<SipMessagesTraced>(context =>
                {
                    _received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _bus.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _bus.StopAsync();
        _identity.Dispose();
    }

    [Fact]
    public async Task When_many_calls_publish_at_once_Should_deliver_every_event_and_each_calls_in_order()
    {
        using var publisher = new CallEventPublisher(_bus, new SignalingTelemetry(_identity, new CallRegistry()), NullLogger<CallEventPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var calls = Enumerable.Range(0, Calls).Select(_ => Guid.NewGuid()).ToArray();

        for (var sequence = 0; sequence < EventsPerCall; sequence++)
        {
            foreach (var call in calls)
            {
                publisher.Publish(new SipMessagesTraced(call, DateTimeOffset.UtcNow, sequence.ToString(CultureInfo.InvariantCulture), []));
            }
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (_received.Count < Calls * EventsPerCall && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await publisher.StopAsync(CancellationToken.None);
        var byCall = _received.GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.Select(e => int.Parse(e.Instance, CultureInfo.InvariantCulture)));
        Assert.Equal(calls.Order(), byCall.Keys.Order());
        Assert.All(calls, call => Assert.Equal(Enumerable.Range(0, EventsPerCall), byCall[call]));
    }
}
