using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trunk.ServiceDefaults.Messaging;
using Trunk.Testing;

namespace Trunk.ServiceDefaults.Tests.Messaging;

/// <summary>
/// A host with the service defaults and the trunk bus on the test RabbitMQ, as every service builds it. Test
/// consumers get a fixed queue of their own, fed by <see cref="SendAsync{T}"/> rather than by publishing, so that
/// queues of other tests (and of earlier runs) never receive their messages.
/// </summary>
internal static class BusTestHost
{
    public static async Task<IHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection> services,
        Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(TestInfrastructure.RabbitConfiguration);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Service:InstanceId"] = $"bus-tests-{Guid.NewGuid():N}";
        builder.AddServiceDefaults("bus-tests");
        services(builder.Services);
        builder.AddTrunkBus(consumers);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }

    /// <summary>Receives the consumer's messages on <paramref name="queue"/> only, bound to no exchange of a message type.</summary>
    public static Action<IEndpointRegistrationConfigurator> OwnQueue(string queue) => endpoint =>
    {
        endpoint.Name = queue;
        endpoint.ConfigureConsumeTopology = false;
    };

    public static async Task SendAsync<T>(this IHost host, string queue, T message, Action<SendContext<T>>? configure = null)
        where T : class
    {
        var endpoint = await host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri("queue:" + queue));
        await endpoint.Send(message, context => configure?.Invoke(context));
    }
}
