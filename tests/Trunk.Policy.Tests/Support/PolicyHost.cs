using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trunk.Policy;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;
using Trunk.Testing;

namespace Trunk.Policy.Tests.Support;

/// <summary>
/// The Policy host in this process on a free port, against the real PostgreSQL and RabbitMQ, with its own schema
/// and its own queues (deleted when it stops), so that test classes run in parallel and again and again.
/// </summary>
public sealed class PolicyHost : IAsyncLifetime
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private WebApplication? _app;

    public string Schema => $"policy_test_{_suffix}";

    public string QueuePrefix => $"test-{_suffix}-";

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    /// <summary>The address of one of this host's endpoints; they are auto-delete, and a sender must declare them the same way.</summary>
    public Uri Queue(string name) => new($"queue:{QueuePrefix}{name}?autodelete=true");

    public IRequestClient<T> RequestClient<T>(string queue)
        where T : class =>
        Services.GetRequiredService<IBus>().CreateRequestClient<T>(Queue(queue), RequestTimeout.After(s: 15));

    public async Task InitializeAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Tcp()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(PolicyExtensions).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = url,
            ["RabbitMq:Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq:Port"] = TestInfrastructure.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestInfrastructure.RabbitVirtualHost,
            ["RabbitMq:Username"] = TestInfrastructure.RabbitUsername,
            ["RabbitMq:Password"] = TestInfrastructure.RabbitPassword,
            ["ConnectionStrings:Postgres"] = TestInfrastructure.PostgresConnectionString,
            ["Postgres:ApplySchemaOnStart"] = "false",
            ["Policy:Schema"] = Schema,
            ["Policy:QueuePrefix"] = QueuePrefix,
            ["Policy:SeedDemoData"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults("policy");
        builder.AddPolicy();
        _app = builder.Build();
        _app.Services.GetRequiredService<SettingsValidation>().ValidateAll();
        _app.MapDefaultEndpoints();
        _app.MapPolicyApi();
        await _app.Services.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(15) };
        await WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await DropSchemaAsync(Schema);
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

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
