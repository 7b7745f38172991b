using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MassTransit.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Trunk.Contracts.Calls;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Settings;
using Trunk.Signaling.Calls;
using Trunk.Signaling.Events;
using Trunk.Signaling.Telemetry;
using Trunk.Testing;
using Trunk.Testing.Messaging;

namespace Trunk.Signaling.Tests.Events;

/// <summary>
/// Call events go to the real RabbitMQ through several publishes in flight, and each call's events still arrive in the
/// order Signaling published them (a consumer of a call's history relies on it: CallEnded after the call's trace). Each
/// reaches its MassTransit consumer in the call's trace.
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
        using var publisher = await StartPublisherAsync(listener.ListenerBus, identity);
        var calls = PublishAll(publisher);

        var received = await listener.WaitForAsync(e => calls.Contains(e.CallId), Calls * EventsPerCall);
        await publisher.StopAsync(CancellationToken.None);
        var byCall = received.GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.Select(e => int.Parse(e.Instance, CultureInfo.InvariantCulture)));
        Assert.Equal(calls.Order(), byCall.Keys.Order());
        Assert.All(calls, call => Assert.Equal(Enumerable.Range(0, EventsPerCall), byCall[call]));
    }

    [Fact]
    public async Task When_the_instance_stops_with_events_buffered_Should_publish_them_before_it_stops()
    {
        await using var listener = await MessageListener<SipMessagesTraced>.StartAsync($"signaling-tests-publisher-{Guid.NewGuid():N}");
        // The instance's own bus, which its host stops right after the publisher, as Signaling's host does.
        var instanceBus = await MessageListener<SipMessagesTraced>.StartAsync($"signaling-tests-instance-{Guid.NewGuid():N}");
        using var identity = new ServiceIdentity("signaling", "publisher-test");
        using var publisher = await StartPublisherAsync(instanceBus.ListenerBus, identity);
        var calls = PublishAll(publisher);

        // Stopped as soon as the lanes run (the first event is in), with most of the events still in them: they go out
        // before the stop ends, then the bus stops.
        await listener.WaitForAsync(e => calls.Contains(e.CallId), 1);
        await publisher.StopAsync(CancellationToken.None);
        await instanceBus.DisposeAsync();

        var received = await listener.WaitForAsync(e => calls.Contains(e.CallId), Calls * EventsPerCall);
        Assert.Equal(Calls * EventsPerCall, received.Count);

        // Nothing is taken once stopped: a late event is refused (and logged), not buffered and lost.
        Assert.False(publisher.Publish(new SipMessagesTraced(calls.First(), DateTimeOffset.UtcNow, "after the stop", [])));
    }

    /// <summary>The test RabbitMQ's vhost as a service's settings name it.</summary>
    internal static RabbitMqSettings Broker => new()
    {
        Host = TestInfrastructure.RabbitHost,
        Port = TestInfrastructure.RabbitPort,
        VirtualHost = TestInfrastructure.RabbitVirtualHost,
        Username = TestInfrastructure.RabbitUsername,
        Password = TestInfrastructure.RabbitPassword,
    };

    /// <summary>A started publisher on the test vhost; <paramref name="bus"/> gives it MassTransit's topology and addresses.</summary>
    internal static async Task<CallEventPublisher> StartPublisherAsync(MassTransit.IBus bus, ServiceIdentity identity)
    {
        var publisher = new CallEventPublisher(bus, Options.Create(Broker), identity, new SignalingTelemetry(identity, new CallRegistry()),
            NullLogger<CallEventPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        return publisher;
    }

    /// <summary>Each of <see cref="Calls"/> new calls publishes <see cref="EventsPerCall"/> events numbered in order, the calls taking turns.</summary>
    private static HashSet<Guid> PublishAll(CallEventPublisher publisher)
    {
        var calls = Enumerable.Range(0, Calls).Select(_ => Guid.NewGuid()).ToHashSet();
        for (var sequence = 0; sequence < EventsPerCall; sequence++)
        {
            foreach (var call in calls)
            {
                publisher.Publish(new SipMessagesTraced(call, DateTimeOffset.UtcNow, sequence.ToString(CultureInfo.InvariantCulture), []));
            }
        }

        return calls;
    }

    [Fact]
    public async Task When_an_event_is_published_in_a_calls_trace_Should_be_consumed_in_that_trace_under_its_publish_span()
    {
        using var identity = new ServiceIdentity("signaling", "publisher-trace-test");
        var spans = new EndedSpans();
        // As a Signaling host traces: its own spans and MassTransit's (those of the consumer here), through the SDK.
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(identity.TelemetryName, DiagnosticHeaders.DefaultListenerName)
            .AddProcessor(spans)
            .Build();
        await using var listener = await MessageListener<CallEnded>.StartAsync($"signaling-tests-publisher-{Guid.NewGuid():N}");
        using var publisher = await StartPublisherAsync(listener.ListenerBus, identity);
        var callId = Guid.NewGuid();
        ActivityTraceId traceId;
        using (var invite = identity.ActivitySource.StartActivity("sip INVITE", ActivityKind.Server))
        {
            traceId = invite!.TraceId;
            publisher.Publish(new CallEnded(callId, DateTimeOffset.UtcNow, "signaling-test", TimeSpan.FromSeconds(1), "normal", 200, null));
        }

        await listener.WaitForAsync(e => e.CallId == callId, 1);
        // MassTransit's receive span ends last, after the consume span under it.
        var trace = await spans.WaitForAsync(traceId, t => t.Any(s => s.Kind == ActivityKind.Consumer && t.Any(p => p.SpanId == s.ParentSpanId && p.Kind == ActivityKind.Producer)));
        await publisher.StopAsync(CancellationToken.None);

        var publish = Assert.Single(trace, s => s.DisplayName == "publish CallEnded");
        Assert.Equal(callId, publish.GetTagItem(SignalingTelemetry.CallIdAttribute));
        var consumed = trace.Where(s => s.Kind == ActivityKind.Consumer).ToList();
        Assert.NotEmpty(consumed);
        Assert.All(trace.Where(s => s.ParentSpanId != default), s => Assert.Contains(trace, p => p.SpanId == s.ParentSpanId));
        Assert.Contains(consumed, s => s.ParentSpanId == publish.SpanId);
    }

    /// <summary>The spans that ended (in this process, while the test traces), as an exporter would get them.</summary>
    private sealed class EndedSpans : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public override void OnEnd(Activity data) => _ended.Enqueue(data);

        /// <summary>The trace's spans ended so far, once they match <paramref name="until"/> (10 s at most).</summary>
        public async Task<List<Activity>> WaitForAsync(ActivityTraceId traceId, Func<List<Activity>, bool> until)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                var trace = _ended.Where(s => s.TraceId == traceId).ToList();
                if (until(trace) || DateTime.UtcNow > deadline)
                {
                    return trace;
                }

                await Task.Delay(50);
            }
        }
    }
}
