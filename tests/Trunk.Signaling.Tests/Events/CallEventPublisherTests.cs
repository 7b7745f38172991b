using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Telemetry;
using Trunk.Testing.Messaging;

namespace Trunk.Signaling.Tests.Events;

/// <summary>
/// Call events go to the real RabbitMQ through several publishes in flight, and each call's events still arrive in the
/// order Signaling published them (a consumer of a call's history relies on it: CallEnded after the call's trace).
/// </summary>
public sealed class CallEventPublisherTests
{
    // Not a multiple of the lanes: events taken round the lanes in turn would split a call over several.
    private const int Calls = 37;
    private const int EventsPerCall = 40;

    [Fact]
    public async Task When_many_calls_publish_at_once_Should_deliver_every_event_and_each_calls_in_order()
    {
        await using var listener = await MessageListener<SipMessagesTraced>.StartAsync($"signaling-tests-publisher-{Guid.NewGuid():N}");
        using var identity = new ServiceIdentity("signaling", "publisher-test");
        using var publisher = new CallEventPublisher(listener.ListenerBus, new SignalingTelemetry(identity, new CallRegistry()),
            NullLogger<CallEventPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        var calls = Enumerable.Range(0, Calls).Select(_ => Guid.NewGuid()).ToHashSet();

        for (var sequence = 0; sequence < EventsPerCall; sequence++)
        {
            foreach (var call in calls)
            {
                publisher.Publish(new SipMessagesTraced(call, DateTimeOffset.UtcNow, sequence.ToString(CultureInfo.InvariantCulture), []));
            }
        }

        var received = await listener.WaitForAsync(e => calls.Contains(e.CallId), Calls * EventsPerCall);
        await publisher.StopAsync(CancellationToken.None);
        var byCall = received.GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.Select(e => int.Parse(e.Instance, CultureInfo.InvariantCulture)));
        Assert.Equal(calls.Order(), byCall.Keys.Order());
        Assert.All(calls, call => Assert.Equal(Enumerable.Range(0, EventsPerCall), byCall[call]));
    }
}
