using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>
/// Delayed redelivery on the real RabbitMQ, with intervals of 1 s and 2 s: a message whose immediate retries are
/// spent comes back after the delay as the same message, and one that never succeeds ends in <c>_error</c>.
/// </summary>
public sealed class RedeliveryTests : IAsyncLifetime
{
    /// <summary>The first try and the five immediate retries of every delivery.</summary>
    private const int ImmediateAttempts = 6;

    private const string Queue = "redelivery-tests";
    private readonly DeliveryLog _log = new();
    private IHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BusTestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["RabbitMq:Redelivery:Intervals:0"] = "00:00:01",
                ["RabbitMq:Redelivery:Intervals:1"] = "00:00:02",
            },
            services => services.AddSingleton(_log),
            bus =>
            {
                bus.AddConsumer<RedeliveryProbeConsumer>().Endpoint(BusTestHost.OwnQueue(Queue));
                bus.AddConsumer<RedeliveryFaultConsumer>().Endpoint(e => e.Name = "redelivery-tests-faults");
            });

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task When_a_consumer_still_fails_after_its_immediate_retries_Should_get_the_same_message_again_after_the_delay()
    {
        var message = new RedeliveryProbe(Guid.NewGuid(), FailuresBeforeSuccess: ImmediateAttempts);
        var messageId = NewId.NextGuid();

        await _host.SendAsync(Queue, message, context =>
        {
            context.MessageId = messageId;
            context.Headers.Set(DeliveryLog.MarkerHeader, "kept");
        });

        var redelivered = await _log.Succeeded(message.Id);
        var first = _log.Deliveries(message.Id)[0];
        Assert.Equal(new Delivery(ImmediateAttempts + 1, 1, messageId, first.TraceId, "kept"), redelivered);
        Assert.Equal(new Delivery(1, 0, messageId, first.TraceId, "kept"), first);
        Assert.NotNull(first.TraceId);
    }

    [Fact]
    public async Task When_a_consumer_always_fails_Should_fault_and_move_the_message_to_the_error_queue_after_the_last_interval()
    {
        var message = new RedeliveryProbe(Guid.NewGuid(), FailuresBeforeSuccess: int.MaxValue);
        var messageId = NewId.NextGuid();

        await _host.SendAsync(Queue, message, context => context.MessageId = messageId);

        var fault = await _log.Faulted(message.Id);
        var deliveries = _log.Deliveries(message.Id);
        Assert.Equal(
            [(0, ImmediateAttempts), (1, ImmediateAttempts), (2, ImmediateAttempts)],
            deliveries.GroupBy(d => d.Redelivery).Select(g => (g.Key, g.Count())));
        Assert.All(deliveries, d => Assert.Equal(messageId, d.MessageId));
        Assert.Contains($"attempt {deliveries.Count}", Assert.Single(fault.Exceptions).Message, StringComparison.Ordinal);

        await using var broker = await TestBroker.ConnectAsync();
        var parked = await broker.TakeAsync(Queue + "_error", messageId);
        Assert.Equal(2, Convert.ToInt32(parked.BasicProperties.Headers!["MT-Redelivery-Count"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
