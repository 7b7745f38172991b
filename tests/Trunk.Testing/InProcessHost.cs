using System.Globalization;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trunk.ServiceDefaults;
using Trunk.ServiceDefaults.Hosting;

namespace Trunk.Testing;

/// <summary>
/// A service host in the test's process on a free port, against the real PostgreSQL and RabbitMQ, built the way its
/// Program.cs builds it (service defaults, the service's own registration and routes), with the service's schema
/// created before it starts and every readiness check passing (the bus connected, the database reachable) before it
/// is returned. Each test project's fixture wraps one.
/// </summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessHost(WebApplication app, Uri address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(15) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts <paramref name="service"/> (its name for the service defaults) from the assembly of
    /// <paramref name="applicationType"/>, with <paramref name="settings"/> on top of the test servers' settings.
    /// </summary>
    public static async Task<InProcessHost> StartAsync(
        string service,
        Type applicationType,
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder> addService,
        Action<WebApplication> mapRoutes)
    {
        ArgumentNullException.ThrowIfNull(applicationType);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(addService);
        ArgumentNullException.ThrowIfNull(mapRoutes);
        var address = new Uri($"http://127.0.0.1:{FreePort.Tcp()}");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = applicationType.Assembly.GetName().Name,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = address.ToString(),
            ["RabbitMq:Host"] = TestInfrastructure.RabbitHost,
            ["RabbitMq:Port"] = TestInfrastructure.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestInfrastructure.RabbitVirtualHost,
            ["RabbitMq:Username"] = TestInfrastructure.RabbitUsername,
            ["RabbitMq:Password"] = TestInfrastructure.RabbitPassword,
            ["ConnectionStrings:Postgres"] = TestInfrastructure.PostgresConnectionString,
            ["Postgres:ApplySchemaOnStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults(service);
        addService(builder);
        var app = builder.Build();
        app.Services.GetRequiredService<SettingsValidation>().ValidateAll();
        app.MapDefaultEndpoints();
        mapRoutes(app);
        if (app.Services.GetService<IDocumentStore>() is { } store)
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
        }

        await app.StartAsync().ConfigureAwait(false);
        await Readiness.WaitAsync(app.Services).ConfigureAwait(false);
        return new InProcessHost(app, address);
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
