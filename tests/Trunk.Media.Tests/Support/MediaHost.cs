using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Trunk.Contracts;
using Trunk.Contracts.Media;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Testing;

namespace Trunk.Media.Tests.Support;

/// <summary>
/// The Media host in this process against the real RabbitMQ, with its own queues (a prefix, deleted when it stops) and
/// port range, plus a client bus that sends Signaling's requests and commands and records the facts Media publishes.
/// </summary>
public sealed class MediaHost : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly ConcurrentQueue<ICallEvent> _published = new();
    private WebApplication? _app;
    private IBusControl _client = null!;

    public string QueuePrefix => $"test-{_suffix}-";

    public int PortMin { get; } = 21000 + (Random.Shared.Next(0, 100) * 40);

    public IBus Client => _client;

    public IRequestClient<AllocateMedia> SharedQueue => _client.CreateRequestClient<AllocateMedia>(
        new Uri($"queue:{QueuePrefix}media?autodelete=true"), RequestTimeout.After(s: 10));

    public IRequestClient<AllocateMedia> InstanceQueue(string queue) =>
        _client.CreateRequestClient<AllocateMedia>(new Uri($"queue:{queue}?autodelete=true"), RequestTimeout.After(s: 10));

    public Task<ISendEndpoint> Commands(string queue) => _client.GetSendEndpoint(new Uri($"queue:{queue}?autodelete=true"));

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(MediaExtensions).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(TestInfrastructure.RabbitConfiguration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort.Tcp()}",
            ["Media:QueuePrefix"] = QueuePrefix,
            ["Media:PortMin"] = PortMin.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Media:PortMax"] = (PortMin + 7).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("media");
        builder.AddMedia();
        _app = builder.Build();
        _app.Services.GetRequiredService<SettingsValidation>().ValidateAll();
        await _app.StartAsync();
        await _app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));

        _client = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestInfrastructure.RabbitHost, (ushort)TestInfrastructure.RabbitPort, TestInfrastructure.RabbitVirtualHost, h =>
            {
                h.Username(TestInfrastructure.RabbitUsername);
                h.Password(TestInfrastructure.RabbitPassword);
            });
            rabbit.ReceiveEndpoint($"{QueuePrefix}media-facts", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<MediaBridged>(Record);
                endpoint.Handler<MediaStats>(Record);
                endpoint.Handler<NoAudioDetected>(Record);
            });
        });
        await _client.StartAsync();
    }

    public async Task<T> WaitFor<T>(Func<T, bool> match)
        where T : ICallEvent
    {
        for (var i = 0; i < 100; i++)
        {
            if (_published.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No {typeof(T).Name} was published.");
    }

    public async Task DisposeAsync()
    {
        await _client.StopAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private Task Record<T>(ConsumeContext<T> context)
        where T : class, ICallEvent
    {
        _published.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
