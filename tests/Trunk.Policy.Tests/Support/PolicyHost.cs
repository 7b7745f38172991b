using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Policy;
using Trunk.ServiceDefaults;
using Trunk.Testing;

namespace Trunk.Policy.Tests.Support;

/// <summary>
/// The Policy host in this process on a free port, against the real PostgreSQL and RabbitMQ, with its own schema
/// and its own queues (deleted when it stops), so that test classes run in parallel and again and again.
/// </summary>
public sealed class PolicyHost : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private InProcessHost? _host;

    public string Schema => $"policy_test_{_suffix}";

    public string QueuePrefix => $"test-{_suffix}-";

    public HttpClient Http => _host!.Http;

    public IServiceProvider Services => _host!.Services;

    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    /// <summary>The address of one of this host's endpoints; they are auto-delete, and a sender must declare them the same way.</summary>
    public Uri Queue(string name) => new($"queue:{QueuePrefix}{name}?autodelete=true");

    public IRequestClient<T> RequestClient<T>(string queue)
        where T : class =>
        Services.GetRequiredService<IBus>().CreateRequestClient<T>(Queue(queue), RequestTimeout.After(s: 15));

    public async Task InitializeAsync()
    {
        _host = await InProcessHost.StartAsync(
            "policy",
            typeof(PolicyExtensions),
            new Dictionary<string, string?>
            {
                ["Policy:Schema"] = Schema,
                ["Policy:QueuePrefix"] = QueuePrefix,
                ["Policy:SeedDemoData"] = "false",
            },
            builder => builder.AddPolicy(),
            app => app.MapPolicyApi());
        await WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await DropSchemaAsync(Schema);
    }

    public static Task DropSchemaAsync(string schema) => InProcessHost.DropSchemaAsync(schema);

    private async Task WaitUntilReadyAsync()
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            using var response = await Http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var report = await response.Content.ReadFromJsonAsync<HealthReport>(JsonSerializerOptions.Web);
            if (report?.Status == "Healthy")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The in-process Policy host ({Services.GetRequiredService<ServiceIdentity>().InstanceId}) never became ready.");
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}
