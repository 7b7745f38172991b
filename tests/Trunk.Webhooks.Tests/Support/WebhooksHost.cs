using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Trunk.Contracts;
using Trunk.Testing;

namespace Trunk.Webhooks.Tests.Support;

/// <summary>
/// The Webhooks host in this process against the real PostgreSQL and RabbitMQ, with its own schema and auto-deleted
/// queue; three tries per webhook, 50 ms apart at first, so that retries and dead letters take well under a second.
/// </summary>
public sealed class WebhooksHost : IAsyncLifetime
{
    public const int MaxAttempts = 3;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private InProcessHost? _host;

    public string Schema => $"webhooks_test_{_suffix}";

    public HttpClient Http => _host!.Http;

    public async Task InitializeAsync()
    {
        _host = await InProcessHost.StartAsync(
            "webhooks",
            typeof(WebhooksExtensions),
            new Dictionary<string, string?>
            {
                ["Webhooks:Schema"] = Schema,
                ["Webhooks:QueuePrefix"] = $"test-{_suffix}-",
                ["Webhooks:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhooks:FirstRetryDelay"] = "00:00:00.050",
                ["Webhooks:AttemptTimeout"] = "00:00:02",
            },
            builder => builder.AddWebhooks(),
            app => app.MapWebhooksApi());
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await InProcessHost.DropSchemaAsync(Schema);
    }

    /// <summary>Publishes as Signaling and the Transfer saga do; a given id makes a redelivery.</summary>
    public Task PublishAsync(ICallEvent message, Guid? messageId = null) =>
        _host!.Services.GetRequiredService<IBus>().Publish(message, message.GetType(), context => context.MessageId = messageId ?? NewId.NextGuid());
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<WebhooksHost>
{
    public const string Name = "Webhooks host";
}
