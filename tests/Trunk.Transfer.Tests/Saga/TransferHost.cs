using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trunk.ServiceDefaults;
using Trunk.Testing;

namespace Trunk.Transfer.Tests.Saga;

/// <summary>
/// The Transfer service in-process on the real RabbitMQ and PostgreSQL, with short timeouts, sharing its bus with the
/// Policy (<see cref="FakePolicy"/>) and the Signaling instance (<see cref="SignalingRecorder"/>) that the tests play.
/// </summary>
public sealed class TransferHost : IAsyncDisposable
{
    public const string SignalingQueue = "transfer-tests-signaling";
    public static readonly TimeSpan PolicyDeadline = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxCallDuration = TimeSpan.FromSeconds(4);

    private readonly WebApplication _app;

    private TransferHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public IBus Bus => _app.Services.GetRequiredService<IBus>();

    public IDocumentStore Store => _app.Services.GetRequiredService<IDocumentStore>();

    /// <summary>A Transfer host on the test servers; <paramref name="settings"/> replace the defaults below.</summary>
    public static async Task<TransferHost> StartAsync(PolicyScript policy, SignalingLog signaling, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{FreePort.Tcp()}",
            ["RabbitMq:Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq:Port"] = TestInfrastructure.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestInfrastructure.RabbitVirtualHost,
            ["RabbitMq:Username"] = TestInfrastructure.RabbitUsername,
            ["RabbitMq:Password"] = TestInfrastructure.RabbitPassword,
            ["ConnectionStrings:Postgres"] = TestInfrastructure.PostgresConnectionString,
            ["Postgres:ApplySchemaOnStart"] = "true",
            ["Transfer:PolicyDeadline"] = PolicyDeadline.ToString(),
            ["Transfer:RingTimeout"] = RingTimeout.ToString(),
            ["Transfer:MaxCallDuration"] = MaxCallDuration.ToString(),
            ["Transfer:SchedulerPollInterval"] = "00:00:00.100",
            ["Transfer:OutboxPollInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton(signaling);
        builder.AddServiceDefaults("transfer");
        builder.AddTransfer(bus =>
        {
            bus.AddConsumer<FakePolicy>();
            bus.AddConsumer<SignalingRecorder>().Endpoint(e =>
            {
                e.Name = SignalingQueue;
                e.ConfigureConsumeTopology = false;

                // In queue order, as Signaling takes a call's commands: the log's order is the order they were sent in.
                e.ConcurrentMessageLimit = 1;
            });
            bus.AddConsumer<PublishedRecorder>().Endpoint(e =>
            {
                e.Name = $"transfer-tests-published-{Guid.NewGuid():N}";
                e.Temporary = true;
            });
        });
        var app = builder.Build();
        await app.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await app.StartAsync();
        await Readiness.WaitAsync(app.Services);
        return new TransferHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
