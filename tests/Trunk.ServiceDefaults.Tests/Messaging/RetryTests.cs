using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.Testing;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>The bus defaults of every service, on the real RabbitMQ: transient faults are retried, and a message that never succeeds ends as a fault, not lost.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private readonly Probe _probe = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq:Port"] = TestInfrastructure.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestInfrastructure.RabbitVirtualHost,
            ["RabbitMq:Username"] = TestInfrastructure.RabbitUsername,
            ["RabbitMq:Password"] = TestInfrastructure.RabbitPassword,
            ["Service:InstanceId"] = $"retry-tests-{Guid.NewGuid():N}",
        });
        builder.AddServiceDefaults("retry-tests");
        builder.Services.AddSingleton(_probe);
        builder.AddTrunkBus(bus =>
        {
            bus.AddConsumer<FlakyConsumer>().Endpoint(e => e.Name = $"retry-tests-{Guid.NewGuid():N}");
            bus.AddConsumer<FaultObserver>().Endpoint(e => e.Name = $"retry-tests-faults-{Guid.NewGuid():N}");
        });
        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task When_a_consumer_fails_twice_Should_succeed_on_the_third_attempt()
    {
        var message = new RetryProbe(Guid.NewGuid(), FailuresBeforeSuccess: 2);

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(message);

        Assert.Equal(3, await _probe.Succeeded(message.Id));
    }

    [Fact]
    public async Task When_a_consumer_always_fails_Should_retry_five_times_then_publish_a_fault()
    {
        var message = new RetryProbe(Guid.NewGuid(), FailuresBeforeSuccess: int.MaxValue);

        await _host.Services.GetRequiredService<IPublishEndpoint>().Publish(message);

        var fault = await _probe.Faulted(message.Id);
        Assert.Equal(6, _probe.Attempts(message.Id));
        Assert.Contains("attempt 6", fault.Exceptions.Single().Message, StringComparison.Ordinal);
    }

    public sealed record RetryProbe(Guid Id, int FailuresBeforeSuccess);

    internal sealed class Probe
    {
        private readonly ConcurrentDictionary<Guid, int> _attempts = new();
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<int>> _succeeded = new();
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<Fault<RetryProbe>>> _faulted = new();

        public int Attempt(Guid id) => _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);

        public int Attempts(Guid id) => _attempts[id];

        public Task<int> Succeeded(Guid id) => Slot(_succeeded, id).Task.WaitAsync(TimeSpan.FromSeconds(30));

        public Task<Fault<RetryProbe>> Faulted(Guid id) => Slot(_faulted, id).Task.WaitAsync(TimeSpan.FromSeconds(60));

        public void Success(Guid id, int attempt) => Slot(_succeeded, id).TrySetResult(attempt);

        public void Fault(Fault<RetryProbe> fault) => Slot(_faulted, fault.Message.Id).TrySetResult(fault);

        private static TaskCompletionSource<T> Slot<T>(ConcurrentDictionary<Guid, TaskCompletionSource<T>> slots, Guid id) =>
            slots.GetOrAdd(id, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    internal sealed class FlakyConsumer(Probe probe) : IConsumer<RetryProbe>
    {
        public Task Consume(ConsumeContext<RetryProbe> context)
        {
            var attempt = probe.Attempt(context.Message.Id);
            if (attempt <= context.Message.FailuresBeforeSuccess)
            {
                throw new InvalidOperationException($"transient failure, attempt {attempt}");
            }

            probe.Success(context.Message.Id, attempt);
            return Task.CompletedTask;
        }
    }

    internal sealed class FaultObserver(Probe probe) : IConsumer<Fault<RetryProbe>>
    {
        public Task Consume(ConsumeContext<Fault<RetryProbe>> context)
        {
            probe.Fault(context.Message);
            return Task.CompletedTask;
        }
    }
}
