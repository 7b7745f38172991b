using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>The bus defaults of every service, on the real RabbitMQ: a transient fault is retried at once, without redelivery.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private const string Queue = "retry-tests-flaky";
    private readonly Probe _probe = new();
    private IHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await BusTestHost.StartAsync(
            new Dictionary<string, string?>(),
            services => services.AddSingleton(_probe),
            bus => bus.AddConsumer<FlakyConsumer>().Endpoint(BusTestHost.OwnQueue(Queue)));

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task When_a_consumer_fails_twice_Should_succeed_on_the_third_attempt()
    {
        var message = new RetryProbe(Guid.NewGuid(), FailuresBeforeSuccess: 2);

        await _host.SendAsync(Queue, message);

        Assert.Equal((3, 0), await _probe.Succeeded(message.Id));
    }

    public sealed record RetryProbe(Guid Id, int FailuresBeforeSuccess);

    internal sealed class Probe
    {
        private readonly ConcurrentDictionary<Guid, int> _attempts = new();
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<(int Attempt, int Redelivery)>> _succeeded = new();

        public int Attempt(Guid id) => _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);

        public Task<(int Attempt, int Redelivery)> Succeeded(Guid id) => Slot(id).Task.WaitAsync(TimeSpan.FromSeconds(30));

        public void Success(Guid id, int attempt, int redelivery) => Slot(id).TrySetResult((attempt, redelivery));

        private TaskCompletionSource<(int, int)> Slot(Guid id) =>
            _succeeded.GetOrAdd(id, _ => new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously));
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

            probe.Success(context.Message.Id, attempt, context.GetRedeliveryCount());
            return Task.CompletedTask;
        }
    }
}
